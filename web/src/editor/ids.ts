// Element ids: short, unique, and within the document's id alphabet
// (letters, digits and . _ : @ / -).

let counter = 0;

export function newId(prefix: 'c' | 'g' | 'f'): string {
  counter = (counter + 1) % 0x10000;
  const rand = Math.floor(Math.random() * 0x100000000).toString(36);
  return `${prefix}-${Date.now().toString(36)}${counter.toString(36)}${rand}`;
}
