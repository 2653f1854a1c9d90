/** Regions of Java: DKI Jakarta, Jawa Barat, Jawa Tengah, DI Yogyakarta, Jawa Timur (see places.ts for what the fields mean). */
import { d, MOSTLY_ISLAM, type Region } from './places.ts';

export const JAVA_REGIONS: readonly Region[] = [
  {
    provinceCode: '31',
    regencies: [
      {
        code: '3171',
        name: 'JAKARTA SELATAN',
        districts: [
          d('01', 'TEBET', 'TEBET BARAT', 'MANGGARAI', 'BUKIT DURI'),
          d('02', 'SETIABUDI', 'KUNINGAN TIMUR', 'KARET', 'MENTENG ATAS'),
          d('07', 'KEBAYORAN BARU', 'SENAYAN', 'GANDARIA UTARA', 'MELAWAI'),
        ],
      },
      {
        code: '3172',
        name: 'JAKARTA TIMUR',
        districts: [
          d('01', 'MATRAMAN', 'PAL MERIAM', 'KAYU MANIS'),
          d('05', 'JATINEGARA', 'BALI MESTER', 'CIPINANG BESAR UTARA'),
        ],
      },
      {
        code: '3174',
        name: 'JAKARTA BARAT',
        districts: [
          d('04', 'GROGOL PETAMBURAN', 'TANJUNG DUREN UTARA', 'JELAMBAR'),
          d('06', 'TAMAN SARI', 'GLODOK', 'PINANGSIA'),
        ],
      },
    ],
    styles: [
      ['javanese', 30],
      ['sundanese', 15],
      ['islamic', 20],
      ['batak', 10],
      ['chinese-indonesian', 12],
      ['minang', 8],
      ['manado-ambon', 5],
    ],
    religions: [
      ['ISLAM', 80],
      ['KRISTEN', 9],
      ['KATOLIK', 5],
      ['BUDDHA', 5],
      ['HINDU', 1],
    ],
    birthplaces: ['JAKARTA', 'BOGOR', 'BEKASI', 'SEMARANG', 'MEDAN', 'PADANG'],
  },
  {
    provinceCode: '32',
    regencies: [
      {
        code: '3273',
        name: 'KOTA BANDUNG',
        districts: [
          d('02', 'COBLONG', 'DAGO', 'LEBAK SILIWANGI', 'SEKELOA'),
          d('05', 'SUKAJADI', 'PASTEUR', 'SUKAGALIH'),
          d('12', 'LENGKONG', 'BURANGRANG', 'CIKAWAO'),
        ],
      },
      {
        code: '3201',
        name: 'KABUPATEN BOGOR',
        districts: [
          d('01', 'CIBINONG', 'PAKANSARI', 'TENGAH'),
          d('10', 'CISARUA', 'TUGU SELATAN', 'CILEMBER'),
        ],
      },
      {
        code: '3275',
        name: 'KOTA BEKASI',
        districts: [
          d('01', 'BEKASI TIMUR', 'MARGAHAYU', 'DURENJAYA'),
          d('03', 'BEKASI BARAT', 'KRANJI', 'BINTARA'),
        ],
      },
    ],
    styles: [
      ['sundanese', 60],
      ['javanese', 15],
      ['islamic', 20],
      ['chinese-indonesian', 5],
    ],
    religions: [
      ['ISLAM', 95],
      ['KRISTEN', 3],
      ['KATOLIK', 1],
      ['BUDDHA', 1],
    ],
    birthplaces: ['BANDUNG', 'GARUT', 'TASIKMALAYA', 'CIANJUR', 'SUMEDANG', 'BOGOR'],
  },
  {
    provinceCode: '33',
    regencies: [
      {
        code: '3374',
        name: 'KOTA SEMARANG',
        districts: [
          d('01', 'SEMARANG TENGAH', 'PEKUNDEN', 'MIROTO'),
          d('11', 'BANYUMANIK', 'SRONDOL WETAN', 'PUDAKPAYUNG'),
        ],
      },
      {
        code: '3372',
        name: 'KOTA SURAKARTA',
        districts: [
          d('01', 'LAWEYAN', 'SONDAKAN', 'PAJANG'),
          d('04', 'PASAR KLIWON', 'BALUWARTI', 'KEDUNG LUMBU'),
        ],
      },
      {
        code: '3302',
        name: 'KABUPATEN BANYUMAS',
        districts: [d('17', 'PURWOKERTO UTARA', 'GRENDENG', 'BOBOSAN')],
      },
    ],
    styles: [
      ['javanese', 80],
      ['islamic', 15],
      ['chinese-indonesian', 5],
    ],
    religions: MOSTLY_ISLAM,
    birthplaces: ['SEMARANG', 'SURAKARTA', 'KLATEN', 'BOYOLALI', 'PURWOKERTO', 'KUDUS'],
  },
  {
    provinceCode: '34',
    regencies: [
      {
        code: '3471',
        name: 'KOTA YOGYAKARTA',
        districts: [
          d('05', 'GONDOKUSUMAN', 'KOTABARU', 'TERBAN', 'DEMANGAN'),
          d('10', 'UMBULHARJO', 'WARUNGBOTO', 'SOROSUTAN'),
        ],
      },
      {
        code: '3404',
        name: 'KABUPATEN SLEMAN',
        districts: [d('07', 'DEPOK', 'CATURTUNGGAL', 'CONDONGCATUR', 'MAGUWOHARJO')],
      },
    ],
    styles: [
      ['javanese', 85],
      ['islamic', 15],
    ],
    religions: [
      ['ISLAM', 90],
      ['KATOLIK', 6],
      ['KRISTEN', 4],
    ],
    birthplaces: ['YOGYAKARTA', 'SLEMAN', 'BANTUL', 'GUNUNGKIDUL', 'MAGELANG'],
  },
  {
    provinceCode: '35',
    regencies: [
      {
        code: '3578',
        name: 'KOTA SURABAYA',
        districts: [
          d('06', 'GUBENG', 'AIRLANGGA', 'GUBENG', 'MOJO'),
          d('08', 'TEGALSARI', 'KEDUNGDORO', 'DR. SOETOMO'),
          d('19', 'RUNGKUT', 'KALIRUNGKUT', 'PENJARINGAN SARI'),
        ],
      },
      {
        code: '3573',
        name: 'KOTA MALANG',
        districts: [d('03', 'KLOJEN', 'KAUMAN', 'ORO-ORO DOWO'), d('05', 'LOWOKWARU', 'DINOYO', 'TLOGOMAS')],
      },
      {
        code: '3515',
        name: 'KABUPATEN SIDOARJO',
        districts: [d('10', 'SIDOARJO', 'SIDOKARE', 'LEMAHPUTRO')],
      },
    ],
    styles: [
      ['javanese', 75],
      ['islamic', 15],
      ['chinese-indonesian', 10],
    ],
    religions: MOSTLY_ISLAM,
    birthplaces: ['SURABAYA', 'MALANG', 'SIDOARJO', 'KEDIRI', 'MADIUN', 'JEMBER', 'GRESIK'],
  },
];
