import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TutorbotError } from '../errors.ts';

/**
 * Note text (concerns, praise, follow-ups, meeting notes) is encrypted at rest with AES-256-GCM so
 * that a database dump alone reveals none of it. A sealed value is
 * "v1:" + base64(iv ‖ ciphertext ‖ tag); the version prefix leaves room for key rotation.
 * `context` (e.g. "note:42") is bound as additional authenticated data, so a ciphertext copied
 * onto another row fails to open instead of showing the wrong child's note.
 */
export interface NoteSealer {
  seal(plainText: string, context: string): string;
  open(sealed: string, context: string): string;
}

const ivLength = 12;
const tagLength = 16;

export function createNoteSealer(key: Buffer): NoteSealer {
  if (key.length !== 32) throw new TutorbotError('tutorbot_config_invalid', 'The encryption key must be 32 bytes.');
  return {
    seal(plainText, context) {
      const iv = randomBytes(ivLength);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64')}`;
    },
    open(sealed, context) {
      if (!sealed.startsWith('v1:')) {
        throw new TutorbotError('tutorbot_note_unreadable', 'A stored note is not in a format this version can read.');
      }
      const raw = Buffer.from(sealed.slice(3), 'base64');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, ivLength));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(raw.subarray(raw.length - tagLength));
        return Buffer.concat([decipher.update(raw.subarray(ivLength, raw.length - tagLength)), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new TutorbotError(
          'tutorbot_note_unreadable',
          'A stored note could not be decrypted: TUTORBOT_ENCRYPTION_KEY is not the key it was written with.',
          { cause },
        );
      }
    },
  };
}
