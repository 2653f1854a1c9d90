/** Regions outside Java: Sumatra, Bali, Sulawesi, Maluku (see places.ts for what the fields mean). */
import { d, type Region } from './places.ts';

export const OUTER_REGIONS: readonly Region[] = [
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
