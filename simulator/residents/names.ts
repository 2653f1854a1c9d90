/**
 * Indonesian personal names by naming tradition, as printed on KTP-el (upper case, no titles).
 * Traditions differ in structure, not only in vocabulary: many Javanese have one or two given names and
 * no family name, Batak names end in a marga, Balinese names start with a birth-order title, and so on.
 */
import type { Rng } from './random.ts';

export type NamingStyle =
  | 'javanese'
  | 'sundanese'
  | 'batak'
  | 'minang'
  | 'balinese'
  | 'bugis'
  | 'islamic'
  | 'chinese-indonesian'
  | 'manado-ambon';

const JAVANESE_M = [
  'SUTRISNO',
  'BAMBANG',
  'SUGENG',
  'AGUS',
  'BUDI',
  'JOKO',
  'HERU',
  'SLAMET',
  'WAHYU',
  'TEGUH',
  'DWI',
  'EKO',
  'PRIYO',
  'ADI',
  'SUPRIYADI',
  'GUNAWAN',
];
const JAVANESE_F = [
  'SRI',
  'SITI',
  'ENDANG',
  'TRI',
  'WAHYUNI',
  'RATNA',
  'DEWI',
  'SUMARNI',
  'LESTARI',
  'RAHAYU',
  'PUJI',
  'NINGSIH',
  'KARTIKA',
  'ASTUTI',
];
const JAVANESE_SECOND = [
  'SANTOSO',
  'WIBOWO',
  'SUSILO',
  'PRASETYO',
  'NUGROHO',
  'HARTONO',
  'SETIAWAN',
  'PURNOMO',
  'KURNIAWAN',
  'HIDAYAT',
  'SAPUTRO',
  'UTOMO',
];
const JAVANESE_SECOND_F = [
  'WAHYUNI',
  'LESTARI',
  'RAHAYU',
  'HANDAYANI',
  'WULANDARI',
  'PURWANINGSIH',
  'SETYOWATI',
  'SUSANTI',
  'MULYANI',
  'RAHMAWATI',
];
const SUNDANESE_M = ['ASEP', 'DEDE', 'CECEP', 'UJANG', 'DADANG', 'ENDANG', 'AAN', 'YAYAT', 'ENCEP', 'DEDI'];
const SUNDANESE_F = ['ENENG', 'EUIS', 'IIS', 'NENG', 'YAYAH', 'NINING', 'TITIN', 'CUCU', 'IMAS', 'LILIS'];
const SUNDANESE_SECOND = [
  'SAEPUDIN',
  'SUNARYA',
  'HIDAYAT',
  'SOBANDI',
  'KUSNADI',
  'SUHENDAR',
  'RUSTANDI',
  'SUPRIATNA',
  'SETIADI',
];
const SUNDANESE_SECOND_F = [
  'NURHAYATI',
  'KURNIASIH',
  'SUMIATI',
  'ROSMIATI',
  'MARLINA',
  'HERAWATI',
  'SUKAESIH',
];
const BATAK_M = [
  'JONNY',
  'MARTUA',
  'HOTMAN',
  'BONAR',
  'PARLINDUNGAN',
  'ROBERT',
  'SAHAT',
  'TUMPAL',
  'DAVID',
  'POLTAK',
];
const BATAK_F = [
  'RUGUN',
  'ROSMA',
  'DORMAULI',
  'LASMARIA',
  'TIURMA',
  'MERY',
  'SONDANG',
  'NURMAIDA',
  'ELFRIDA',
];
const BATAK_MARGA = [
  'SIHOMBING',
  'SIMANJUNTAK',
  'NAINGGOLAN',
  'HUTAPEA',
  'SITUMORANG',
  'PANJAITAN',
  'SIREGAR',
  'NASUTION',
  'LUBIS',
  'SINAGA',
  'TAMPUBOLON',
  'MANURUNG',
  'HUTAGALUNG',
  'SIMATUPANG',
];
const MINANG_M = [
  'AFRIZAL',
  'YULIANDRI',
  'ZULKARNAIN',
  'DESRIZAL',
  'IRWAN',
  'FAUZI',
  'HENDRI',
  'YONDRI',
  'ERIZAL',
  'FIRDAUS',
];
const MINANG_F = [
  'YUSNIDAR',
  'ROSNIAR',
  'ELVI',
  'YUNIARTI',
  'DESMAWATI',
  'NURHASANAH',
  'ERNI',
  'YULIA',
  'FITRIANI',
];
const MINANG_SECOND = [
  'DATUK',
  'PILIANG',
  'CHANIAGO',
  'TANJUNG',
  'SIKUMBANG',
  'KOTO',
  'JAMBAK',
  'MALIN',
  'SUTAN',
];
const BALI_ORDER_M = [
  'I WAYAN',
  'I MADE',
  'I NYOMAN',
  'I KETUT',
  'I PUTU',
  'I KADEK',
  'I KOMANG',
  'I GEDE',
  'I GUSTI NGURAH',
];
const BALI_ORDER_F = [
  'NI WAYAN',
  'NI MADE',
  'NI NYOMAN',
  'NI KETUT',
  'NI PUTU',
  'NI KADEK',
  'NI KOMANG',
  'NI LUH',
  'NI LUH PUTU',
  'ANAK AGUNG AYU',
];
const BALI_GIVEN = [
  'SUDARSANA',
  'ARTAWAN',
  'SUARDANA',
  'WIRAWAN',
  'ADNYANA',
  'SUWARDIKA',
  'MERTAYASA',
  'PURNAMA',
  'ASTITI',
  'SUASTINI',
  'SRIANI',
  'WIDIASTUTI',
  'ARIANI',
  'SUCIPTA',
  'DARMAWAN',
];
const BUGIS_M = [
  'ANDI',
  'MUHAMMAD',
  'SYAHRIR',
  'ARIFUDDIN',
  'BASO',
  'AMIRUDDIN',
  'HASANUDDIN',
  'SUDIRMAN',
  'RAHMAN',
  'JUMAIDI',
];
const BUGIS_F = [
  'ANDI',
  'HASNAH',
  'MUSDALIFAH',
  'NURHAEDAH',
  'ST. HAJRAH',
  'RAHMAWATI',
  'SUHARTINI',
  'ASMAWATI',
  'NURLIAH',
];
const BUGIS_SECOND = [
  'MAPPANYUKKI',
  'PETTA',
  'DAENG',
  'MATTALATTA',
  'LATIF',
  'BATARI',
  'SAMAD',
  'MAKMUR',
  'TAHIR',
  'ARIFIN',
];
const ISLAMIC_M = [
  'MUHAMMAD',
  'AHMAD',
  'ABDUL',
  'RIZKI',
  'FAJAR',
  'HASAN',
  'IBRAHIM',
  'YUSUF',
  'ZAINAL',
  'SAIFUL',
  'TEUKU',
  'ILHAM',
];
const ISLAMIC_F = [
  'SITI',
  'NUR',
  'AISYAH',
  'FATIMAH',
  'KHADIJAH',
  'ZAHRA',
  'NURUL',
  'CUT',
  'HALIMAH',
  'SALMA',
  'MAISARAH',
];
const ISLAMIC_SECOND = [
  'RAHMAN',
  'HAKIM',
  'FAUZAN',
  'RAMADHAN',
  'MAULANA',
  'FIRMANSYAH',
  'ALFARIZI',
  'HUSAIN',
  'SYAHPUTRA',
  'IKHSAN',
];
const ISLAMIC_SECOND_F = [
  'AINI',
  'NURHALIZA',
  'HIDAYAH',
  'AZIZAH',
  'FITRIA',
  'KHAIRUNNISA',
  'RAHMAH',
  'MARDIAH',
  'HUSNA',
];
const CHINESE_M = [
  'HENDRA',
  'BUDI',
  'SUSANTO',
  'WILLIAM',
  'HARTONO',
  'KEVIN',
  'TONY',
  'ANTON',
  'JOHAN',
  'STEVEN',
  'ROBBY',
];
const CHINESE_F = [
  'LINDA',
  'MELIANA',
  'SUSAN',
  'JESSICA',
  'LILY',
  'YENNY',
  'FELICIA',
  'VERONICA',
  'MEILINA',
  'WINNY',
];
const CHINESE_SURNAME = [
  'GUNAWAN',
  'WIJAYA',
  'SANTOSO',
  'TANOTO',
  'HALIM',
  'SALIM',
  'TJANDRA',
  'KUSUMA',
  'LIMANTO',
  'TANUWIDJAJA',
  'SETIADI',
  'HARTANTO',
];
const MANADO_AMBON_M = [
  'YOHANES',
  'FRANKY',
  'MARTHEN',
  'ROBERT',
  'JEMMY',
  'NOLDY',
  'STEVEN',
  'YOSEF',
  'MARKUS',
  'ALBERTUS',
];
const MANADO_AMBON_F = [
  'MARIA',
  'YOHANA',
  'MARLENE',
  'GRACE',
  'DEBORA',
  'NOVITA',
  'FEMMY',
  'MERRY',
  'JULIANA',
  'SELVI',
];
const MANADO_AMBON_SURNAME = [
  'SUMAMPOW',
  'WOWOR',
  'LUMENTUT',
  'RUMENGAN',
  'TAMBUNAN',
  'LATUHAMALLO',
  'PATTINAMA',
  'TUHUMURY',
  'SAHETAPY',
  'PATTIASINA',
  'MANUPUTTY',
  'KAUNANG',
];

export function personName(rng: Rng, style: NamingStyle, female: boolean): string {
  const g = <T>(m: readonly T[], f: readonly T[]) => rng.pick(female ? f : m);
  switch (style) {
    case 'javanese': {
      // Often a single name; otherwise two given names.
      const first = g(JAVANESE_M, JAVANESE_F);
      if (rng.chance(0.3)) return first;
      let second = g(JAVANESE_SECOND, JAVANESE_SECOND_F);
      if (second === first) second = female ? 'SUSANTI' : 'SANTOSO';
      return `${first} ${second}`;
    }
    case 'sundanese':
      return `${g(SUNDANESE_M, SUNDANESE_F)} ${g(SUNDANESE_SECOND, SUNDANESE_SECOND_F)}`;
    case 'batak':
      return `${g(BATAK_M, BATAK_F)} ${rng.pick(BATAK_MARGA)}`;
    case 'minang':
      return rng.chance(0.5) ? g(MINANG_M, MINANG_F) : `${g(MINANG_M, MINANG_F)} ${rng.pick(MINANG_SECOND)}`;
    case 'balinese':
      return `${g(BALI_ORDER_M, BALI_ORDER_F)} ${rng.pick(BALI_GIVEN)}`;
    case 'bugis':
      return `${g(BUGIS_M, BUGIS_F)} ${rng.pick(BUGIS_SECOND)}`;
    case 'islamic': {
      const first = g(ISLAMIC_M, ISLAMIC_F);
      return `${first} ${g(ISLAMIC_SECOND, ISLAMIC_SECOND_F)}`;
    }
    case 'chinese-indonesian':
      return `${g(CHINESE_M, CHINESE_F)} ${rng.pick(CHINESE_SURNAME)}`;
    case 'manado-ambon':
      return `${g(MANADO_AMBON_M, MANADO_AMBON_F)} ${rng.pick(MANADO_AMBON_SURNAME)}`;
  }
}
