// Types of gen-types.mjs for src/schema/document.test.ts.
export const SCHEMA_PATH: string;
export const OUTPUT_PATH: string;
export function generateTypes(schemaText?: string): Promise<string>;
