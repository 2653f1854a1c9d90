/**
 * Places across several provinces, with the Kemendagri province and regency/city codes that NIKs carry
 * (digits 1-4). Kecamatan codes (digits 5-6) follow the order of the lists below, which is plausible
 * rather than authoritative. Each region also says which naming traditions and religions are common
 * there, so residents look like their address.
 */
import type { NamingStyle } from './names.ts';

export interface District {
  code: string;
  kecamatan: string;
  kelurahan: readonly string[];
}

export interface Regency {
  /** 4 digits: province + regency/city */
  code: string;
  /** as printed in the kabupaten/kota line */
  name: string;
  districts: readonly District[];
}

export interface Region {
  provinceCode: string;
  regencies: readonly Regency[];
  styles: ReadonlyArray<readonly [NamingStyle, number]>;
  religions: ReadonlyArray<readonly [string, number]>;
  /** places of birth people here often have besides their own city */
  birthplaces: readonly string[];
}

const d = (code: string, kecamatan: string, ...kelurahan: string[]): District => ({
  code,
  kecamatan,
  kelurahan,
});

const MOSTLY_ISLAM = [
  ['ISLAM', 88],
  ['KRISTEN', 6],
  ['KATOLIK', 3],
  ['HINDU', 1],
  ['BUDDHA', 2],
] as const;

export const REGIONS: readonly Region[] = [
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
  {
    provinceCode: '12',
    regencies: [
      {
        code: '1271',
        name: 'KOTA MEDAN',
        districts: [
          d('10', 'MEDAN BARU', 'PADANG BULAN', 'DARAT'),
          d('11', 'MEDAN PETISAH', 'PETISAH TENGAH', 'SEI SIKAMBING D'),
          d('05', 'MEDAN JOHOR', 'GEDUNG JOHOR', 'KEDAI DURIAN'),
        ],
      },
      {
        code: '1202',
        name: 'KABUPATEN TAPANULI UTARA',
        districts: [d('07', 'TARUTUNG', 'HUTATORUAN VII', 'HUTAPEA BANUAREA')],
      },
    ],
    styles: [
      ['batak', 60],
      ['islamic', 15],
      ['javanese', 10],
      ['chinese-indonesian', 15],
    ],
    religions: [
      ['KRISTEN', 45],
      ['ISLAM', 35],
      ['KATOLIK', 12],
      ['BUDDHA', 8],
    ],
    birthplaces: ['MEDAN', 'TARUTUNG', 'PEMATANGSIANTAR', 'SIBOLGA', 'BALIGE', 'BINJAI'],
  },
  {
    provinceCode: '13',
    regencies: [
      {
        code: '1371',
        name: 'KOTA PADANG',
        districts: [
          d('04', 'PADANG BARAT', 'OLO', 'PURUS', 'BELAKANG TANGSI'),
          d('08', 'KOTO TANGAH', 'LUBUK BUAYA', 'AIR TAWAR BARAT'),
        ],
      },
      {
        code: '1375',
        name: 'KOTA BUKITTINGGI',
        districts: [d('01', 'GUGUK PANJANG', 'BENTENG PASAR ATAS', 'KAYU KUBU')],
      },
    ],
    styles: [
      ['minang', 85],
      ['islamic', 15],
    ],
    religions: [
      ['ISLAM', 98],
      ['KRISTEN', 2],
    ],
    birthplaces: ['PADANG', 'BUKITTINGGI', 'PAYAKUMBUH', 'SOLOK', 'PARIAMAN'],
  },
  {
    provinceCode: '51',
    regencies: [
      {
        code: '5171',
        name: 'KOTA DENPASAR',
        districts: [
          d('01', 'DENPASAR SELATAN', 'SANUR', 'PANJER', 'SIDAKARYA'),
          d('03', 'DENPASAR BARAT', 'DAUH PURI', 'PADANGSAMBIAN'),
        ],
      },
      { code: '5104', name: 'KABUPATEN GIANYAR', districts: [d('06', 'UBUD', 'UBUD', 'PELIATAN', 'MAS')] },
    ],
    styles: [
      ['balinese', 85],
      ['javanese', 10],
      ['islamic', 5],
    ],
    religions: [
      ['HINDU', 85],
      ['ISLAM', 10],
      ['KRISTEN', 3],
      ['KATOLIK', 2],
    ],
    birthplaces: ['DENPASAR', 'GIANYAR', 'TABANAN', 'SINGARAJA', 'KLUNGKUNG'],
  },
  {
    provinceCode: '73',
    regencies: [
      {
        code: '7371',
        name: 'KOTA MAKASSAR',
        districts: [
          d('09', 'PANAKKUKANG', 'PANAIKANG', 'KARUWISI'),
          d('12', 'RAPPOCINI', 'GUNUNG SARI', 'BUAKANA'),
        ],
      },
      {
        code: '7311',
        name: 'KABUPATEN BONE',
        districts: [d('24', 'TANETE RIATTANG', 'WATAMPONE', 'BUKAKA')],
      },
    ],
    styles: [
      ['bugis', 75],
      ['islamic', 20],
      ['chinese-indonesian', 5],
    ],
    religions: [
      ['ISLAM', 90],
      ['KRISTEN', 7],
      ['KATOLIK', 2],
      ['BUDDHA', 1],
    ],
    birthplaces: ['MAKASSAR', 'WATAMPONE', 'PAREPARE', 'SENGKANG', 'GOWA'],
  },
  {
    provinceCode: '71',
    regencies: [
      {
        code: '7171',
        name: 'KOTA MANADO',
        districts: [
          d('04', 'WENANG', 'WENANG SELATAN', 'PINAESAAN'),
          d('06', 'SARIO', 'SARIO TUMPAAN', 'TITIWUNGEN UTARA'),
        ],
      },
    ],
    styles: [
      ['manado-ambon', 80],
      ['islamic', 10],
      ['chinese-indonesian', 10],
    ],
    religions: [
      ['KRISTEN', 65],
      ['KATOLIK', 12],
      ['ISLAM', 20],
      ['BUDDHA', 3],
    ],
    birthplaces: ['MANADO', 'TOMOHON', 'BITUNG', 'TONDANO'],
  },
  {
    provinceCode: '81',
    regencies: [
      {
        code: '8171',
        name: 'KOTA AMBON',
        districts: [d('02', 'SIRIMAU', 'BATU MERAH', 'WAIHAONG'), d('03', 'NUSANIWE', 'BENTENG', 'WAINITU')],
      },
    ],
    styles: [
      ['manado-ambon', 60],
      ['islamic', 40],
    ],
    religions: [
      ['KRISTEN', 55],
      ['ISLAM', 40],
      ['KATOLIK', 5],
    ],
    birthplaces: ['AMBON', 'MASOHI', 'TUAL', 'SAUMLAKI'],
  },
  {
    provinceCode: '11',
    regencies: [
      {
        code: '1171',
        name: 'KOTA BANDA ACEH',
        districts: [
          d('02', 'BAITURRAHMAN', 'PEUNIATEUN', 'NEUSU JAYA'),
          d('05', 'SYIAH KUALA', 'KOPELMA DARUSSALAM', 'LAMGUGOB'),
        ],
      },
    ],
    styles: [
      ['islamic', 85],
      ['javanese', 10],
      ['batak', 5],
    ],
    religions: [
      ['ISLAM', 99],
      ['KRISTEN', 1],
    ],
    birthplaces: ['BANDA ACEH', 'LHOKSEUMAWE', 'SIGLI', 'MEULABOH', 'BIREUEN'],
  },
];

export const STREETS = [
  'JL. MERDEKA',
  'JL. SUDIRMAN',
  'JL. DIPONEGORO',
  'JL. GATOT SUBROTO',
  'JL. PEMUDA',
  'JL. AHMAD YANI',
  'JL. KARTINI',
  'JL. PAHLAWAN',
  'JL. MELATI',
  'JL. KENANGA',
  'JL. CEMPAKA PUTIH',
  'JL. SISINGAMANGARAJA',
  'JL. HASANUDDIN',
  'JL. IMAM BONJOL',
  'JL. RAYA',
  'JL. SUKARNO HATTA',
  'JL. NANGKA',
  'JL. MANGGA DUA',
  'GG. MAWAR',
  'GG. SEPAKAT',
  'GG. BUNTU',
  'KOMP. PERUMNAS BLOK C',
  'PERUM GRIYA ASRI',
] as const;
