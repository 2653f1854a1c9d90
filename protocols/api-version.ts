/**
 * The major version of the client API (api-v1.md). The daemon reports it in system.info and in
 * GET /v1/status; the client SDK compiles in the value it was built with and refuses a daemon that
 * speaks another major version (VERSION_MISMATCH), as web-eid.js's status() does. Within a major
 * version the API only grows, so minor versions need no check. Lives in protocols/ with the error
 * vocabulary: both are the contract shared by the daemon and every client build.
 */
export const API_VERSION = 1;
