/**
 * Figures for profile v1 reads against the simulated card and SAM, in process (no PC/SC): APDU counts
 * per field set, file sizes, and the time to make residents, issue cards and run a full read.
 * Run: npx tsx test/bench/ektp/read-in-process.ts [count]
 */
import { openSamBlock } from '../../../protocols/ektp/commands.ts';
import { openSam, type ReadField, readEktp } from '../../../protocols/ektp/read-sequence.ts';
import { SimulatedCard } from '../../../simulator/ektp/card.ts';
import { runInProcess } from '../../../simulator/ektp/run-in-process.ts';
import { SimulatedSam } from '../../../simulator/ektp/sam.ts';
import { testKeys } from '../../../simulator/ektp/test-keys.ts';
import { issueCard } from '../../../simulator/residents/issue-card.ts';
import { makeResident } from '../../../simulator/residents/resident.ts';

const keys = testKeys();
const sam = new SimulatedSam({ ...keys });
runInProcess(openSam(openSamBlock(keys.pcid, keys.conf)), { sam });
const N = Number(process.argv[2] ?? 20);
let t = performance.now();
const residents = Array.from({ length: N }, (_, i) => makeResident(2000 + i));
const tRes = (performance.now() - t) / N;
t = performance.now();
const files = residents.map((r) => issueCard(r, keys));
const tIssue = (performance.now() - t) / N;
const counts: Record<string, number[]> = {};
const sets: Record<string, ReadField[]> = {
  full: ['biodata', 'photo', 'signature', 'fingers'],
  fingers: ['fingers'],
  biodata: ['biodata'],
  photo: ['photo'],
};
const photo: number[] = [];
let tRead = 0;
for (let i = 0; i < N; i++) {
  photo.push(files[i].files.PHOTO.length);
  for (const [name, fields] of Object.entries(sets)) {
    const card = new SimulatedCard({ resident: residents[i], masterKey: keys.masterKey, files: files[i] });
    card.powerOn();
    const s = performance.now();
    const r = runInProcess(readEktp({ fields }), { card, sam });
    if (name === 'full') tRead += performance.now() - s;
    counts[name] = [...(counts[name] ?? []), r.apduCount];
  }
}
const stat = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return `min ${s[0]} median ${s[s.length >> 1]} max ${s[s.length - 1]}`;
};
console.log(
  `residents: ${N}; makeResident ${tRes.toFixed(1)} ms each; issueCard ${tIssue.toFixed(1)} ms each`,
);
console.log(`EF.PHOTO file bytes: ${stat(photo)}`);
for (const [k, v] of Object.entries(counts)) console.log(`APDUs ${k}: ${stat(v)}`);
console.log(`in-process full read: ${(tRead / N).toFixed(2)} ms each`);
