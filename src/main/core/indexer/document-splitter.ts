/** One piece of a file's text: at most MAX_CONTENT_LENGTH characters, cut after a newline. */
export interface DocumentPiece {
  /** 1-based number of the line the piece starts in. */
  readonly firstLine: number;
  readonly text: string;
}

/**
 * Cuts a stream of decoded text into documents at line boundaries. Only a line longer than
 * the limit is cut inside, and never between the two halves of a surrogate pair, so the
 * documents of a file concatenate back to its exact text. Holds at most one document plus
 * one chunk.
 */
export class DocumentSplitter {
  private pending = '';
  private line = 1;

  constructor(private readonly maxLength: number) {}

  /** Adds decoded text; returns the documents it completed. */
  push(text: string): DocumentPiece[] {
    this.pending += text;
    const pieces: DocumentPiece[] = [];
    while (this.pending.length > this.maxLength) {
      pieces.push(this.cut());
    }
    return pieces;
  }

  /** Returns the last document, if any text is left. */
  end(): DocumentPiece | null {
    if (this.pending.length === 0) {
      return null;
    }
    const piece = { firstLine: this.line, text: this.pending };
    this.pending = '';
    return piece;
  }

  private cut(): DocumentPiece {
    const newline = this.pending.lastIndexOf('\n', this.maxLength - 1);
    let length: number;
    if (newline >= 0) {
      length = newline + 1;
    } else {
      length = this.maxLength;
      const last = this.pending.charCodeAt(length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        length -= 1;
      }
    }
    const text = this.pending.slice(0, length);
    this.pending = this.pending.slice(length);
    const piece = { firstLine: this.line, text };
    this.line += countNewlines(text);
    return piece;
  }
}

export function countNewlines(text: string): number {
  let count = 0;
  let index = text.indexOf('\n');
  while (index !== -1) {
    count += 1;
    index = text.indexOf('\n', index + 1);
  }
  return count;
}
