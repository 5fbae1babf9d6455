// Problems found in user input, in the shape pages and the API both show: what, and where.
export interface FieldProblem {
  field: string;
  message: string;
}

export interface RowProblem {
  row: number; // 1-based, as the spreadsheet shows it (header is row 1)
  field?: string; // the Chinese column header
  message: string;
}

export const hasControlChars = (s: string): boolean => /[\u0000-\u001f\u007f]/.test(s);
