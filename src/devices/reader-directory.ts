import { EventEmitter } from 'node:events';
import type { CardReaderStack } from '../../drivers/pcsc/types.ts';
import { readerMatcher } from '../config/reader-pattern.ts';

const PROBE_ATTEMPTS = 4;
const PROBE_RETRY_MS = 150;

export type ReaderRole = 'rf' | 'sam' | 'unknown';

export interface ReaderState {
  name: string;
  role: ReaderRole;
  cardPresent: boolean;
}

export interface ReaderDirectoryOptions {
  rfPattern?: string;
  samPattern?: string;
  /** asks the card in a reader whether it is a SAM (GET SAM UID); used when no pattern decides */
  probeSam: (readerName: string) => Promise<boolean>;
  /** first wait before probing again a card that is still present after a failed probe */
  probeRetryMs?: number;
}

export interface ReaderDirectoryEvents {
  'role-changed': [name: string, role: ReaderRole];
}

/**
 * Knows which PC/SC reader is the RF slot and which holds the SAM: by configured name patterns,
 * else by probing the card that sits in a reader (a SAM answers GET SAM UID, a blocked one 69 83;
 * an e-KTP answers 6D 00). A reader whose role is not known yet is probed when a card appears in it.
 */
export class ReaderDirectory extends EventEmitter<ReaderDirectoryEvents> {
  private readonly roles = new Map<string, ReaderRole>();
  private readonly probing = new Map<string, Promise<void>>();

  constructor(
    private readonly stack: CardReaderStack,
    private readonly opts: ReaderDirectoryOptions,
  ) {
    super();
    stack.on('reader-added', (name) => this.classify(name));
    stack.on('reader-removed', (name) => this.roles.delete(name));
    stack.on('card-inserted', (name) => {
      if (this.roles.get(name) === 'unknown') this.resolveUnknown(name);
    });
    for (const r of stack.readers()) this.classify(r.name);
  }

  list(): ReaderState[] {
    return this.stack.readers().map((r) => ({
      name: r.name,
      role: this.roles.get(r.name) ?? 'unknown',
      cardPresent: r.cardPresent,
    }));
  }

  roleOf(name: string): ReaderRole {
    return this.roles.get(name) ?? 'unknown';
  }

  /**
   * Waits for probes in flight, then probes any reader that holds a card but has no role yet (its
   * last probe may have lost the card half-way), so a caller sees settled roles.
   */
  async settled(): Promise<void> {
    await Promise.all([...this.probing.values()]);
    const pending = this.stack.readers().filter((r) => r.cardPresent && this.roleOf(r.name) === 'unknown');
    for (const r of pending) this.resolveUnknown(r.name);
    await Promise.all([...this.probing.values()]);
  }

  /**
   * Profile §1: the SAM reader is found by probing and every other reader is an RF reader. Once a
   * SAM is known, a card appearing elsewhere is an e-KTP: no probe (no extra APDU, and a card pulled
   * at once still reads as a removal, not as a failed probe).
   */
  private resolveUnknown(name: string): void {
    if (this.samReader()) this.setRole(name, 'rf');
    else void this.probe(name);
  }

  /** readers a card can be read from: known RF readers, and not-yet-probed empty ones */
  rfReaders(): ReaderState[] {
    return this.list().filter((r) => r.role === 'rf' || (r.role === 'unknown' && !r.cardPresent));
  }

  samReader(): ReaderState | undefined {
    return this.list().find((r) => r.role === 'sam');
  }

  private classify(name: string): void {
    const { rfPattern, samPattern } = this.opts;
    let role: ReaderRole = 'unknown';
    if (samPattern && readerMatcher(samPattern, 'readers.sam')(name)) role = 'sam';
    else if (rfPattern && readerMatcher(rfPattern, 'readers.rf')(name)) role = 'rf';
    else if (samPattern && rfPattern === undefined)
      role = 'rf'; // a SAM pattern alone: everything else is RF
    else if (!samPattern && !rfPattern && this.samReader()) role = 'rf'; // profile §1: besides the SAM's, all are RF
    this.setRole(name, role);
    const present = this.stack.readers().find((r) => r.name === name)?.cardPresent;
    if (role === 'unknown' && present) this.resolveUnknown(name);
  }

  private probe(name: string): Promise<void> {
    const inFlight = this.probing.get(name);
    if (inFlight) return inFlight;
    const p = this.probeUntilKnown(name).finally(() => this.probing.delete(name));
    this.probing.set(name, p);
    return p;
  }

  /**
   * A probe fails when the card leaves during it, but also when pcscd is still powering a card that
   * was present at start, or when a card was swapped while the probe ran (the new insertion found
   * this probe in flight). So while a card is still there, probe again a few times: the role must
   * come from the card that sits in the reader, not from which event happened to come first.
   */
  private async probeUntilKnown(name: string): Promise<void> {
    for (let attempt = 0; attempt < PROBE_ATTEMPTS; attempt++) {
      if (attempt > 0)
        await new Promise((r) => setTimeout(r, (this.opts.probeRetryMs ?? PROBE_RETRY_MS) * attempt));
      if (!this.holdsCard(name) || this.roles.get(name) !== 'unknown') return;
      try {
        const isSam = await this.opts.probeSam(name);
        // the reader may have gone (or got a role by name) while the probe ran
        if (this.roles.get(name) === 'unknown') this.setRole(name, isSam ? 'sam' : 'rf');
        return;
      } catch {
        /* try again while a card is present; else stay unknown until the next insertion */
      }
    }
  }

  private holdsCard(name: string): boolean {
    return this.stack.readers().some((r) => r.name === name && r.cardPresent);
  }

  private setRole(name: string, role: ReaderRole): void {
    if (this.roles.get(name) === role) return;
    this.roles.set(name, role);
    this.emit('role-changed', name, role);
    // Profile §1: once the SAM is found, every other reader is RF, empty ones too (so health sees
    // an RF reader whether the SAM or an empty RF reader was announced first).
    if (role === 'sam' && !this.opts.samPattern && !this.opts.rfPattern) {
      for (const [other, r] of this.roles) if (r === 'unknown') this.setRole(other, 'rf');
    }
  }
}
