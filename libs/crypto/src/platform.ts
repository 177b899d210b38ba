/**
 * What the crypto core may ask of its platform: whether it runs on Node.js
 * (where node:crypto hashing and the native kernel can be loaded). The core
 * itself stays runnable in a browser, on noble and @noble/hashes.
 */

/** True on Node.js. */
export const isNode: boolean =
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node ===
  'string';
