/**
 * Where the agency's shared test data lives: ../shared beside the checkout (never copied into the
 * project). One definition for every test and benchmark; those that need it skip, or say so and
 * exit, when it is absent (a user's clone has no ../shared).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');
export const SHARED_DIR = path.resolve(REPO_ROOT, '../shared');
export const FVC_DIR = path.join(SHARED_DIR, 'datasets/fvc2002-b');
export const NB1010_FIXTURE_DIR = path.join(SHARED_DIR, 'fixtures/libfprint-nb1010');
export const SPEC_DIR = path.join(SHARED_DIR, 'spec');

export const fvcPresent = (): boolean => existsSync(path.join(FVC_DIR, 'DB1_B', '101_1.tif'));
