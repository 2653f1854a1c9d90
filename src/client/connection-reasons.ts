/**
 * Why connect() failed: the reasons only the client SDK can tell (api-v1.md "Client SDK connection
 * reasons"). Each has a message for the officer at the counter (`id`, `en`) and one for branch IT
 * (`it`), because the officer cannot fix any of them and must know whom to call with what.
 */
export const CONNECTION_REASONS = {
  LOCAL_NETWORK_BLOCKED: {
    id: 'Peramban memblokir akses aplikasi loket ke pembaca e-KTP di komputer ini.',
    en: 'The browser blocked the counter application from reaching the e-KTP reader on this computer.',
    it: {
      id: 'Kebijakan peramban (Local Network Access) belum dipasang untuk origin aplikasi ini. Jalankan "sudo ektp-bridge browser-policy --write" setelah security.allowedOrigins memuat origin ini, lalu periksa chrome://policy.',
      en: 'The browser policy (Local Network Access) is missing for this application origin. Run "sudo ektp-bridge browser-policy --write" once security.allowedOrigins lists this origin, then check chrome://policy.',
    },
  },
  DAEMON_UNREACHABLE: {
    id: 'Layanan pembaca e-KTP (ektp-bridge) tidak menjawab di komputer ini.',
    en: 'The e-KTP reader service (ektp-bridge) does not answer on this computer.',
    it: {
      id: 'Periksa bahwa layanan berjalan ("systemctl status ektp-bridge", "ektp-bridge doctor") dan mendengarkan pada port yang dipakai aplikasi.',
      en: 'Check that the service runs ("systemctl status ektp-bridge", "ektp-bridge doctor") and listens on the port the application uses.',
    },
  },
  ORIGIN_FORBIDDEN: {
    id: 'Layanan pembaca e-KTP tidak mengizinkan aplikasi dari alamat ini.',
    en: 'The e-KTP reader service does not allow the application from this address.',
    it: {
      id: 'Tambahkan origin aplikasi ini ke security.allowedOrigins di /etc/ektp-bridge/config.json, mulai ulang layanan, lalu jalankan "sudo ektp-bridge browser-policy --write".',
      en: 'Add this application origin to security.allowedOrigins in /etc/ektp-bridge/config.json, restart the service, then run "sudo ektp-bridge browser-policy --write".',
    },
  },
  VERSION_MISMATCH: {
    id: 'Versi layanan pembaca e-KTP tidak cocok dengan aplikasi loket.',
    en: 'The e-KTP reader service version does not match the counter application.',
    it: {
      id: 'Pasang versi ektp-bridge yang berbicara versi API yang diminta aplikasi (lihat detail), atau perbarui SDK aplikasi.',
      en: 'Install the ektp-bridge version that speaks the API version the application needs (see detail), or update the application SDK.',
    },
  },
} as const;

export type ConnectionReason = keyof typeof CONNECTION_REASONS;
export const CONNECTION_REASON_CODES = Object.keys(CONNECTION_REASONS) as ConnectionReason[];
