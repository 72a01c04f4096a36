import { createContext } from 'react';

/** Builder is what the Template Builder adds to the reused diagram editor. */
export interface Builder {
  /** templateId is null for a template not saved yet. */
  templateId: string | null;
  name: string;
  state?: 'draft' | 'approved';
  builtIn?: boolean;
  saveAs(name: string): Promise<void>;
  approve(): Promise<void>;
}

/** BuilderContext is set when the diagram editor edits a template rather than a threat model. */
export const BuilderContext = createContext<Builder | null>(null);
