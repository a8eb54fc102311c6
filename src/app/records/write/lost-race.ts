import { AppError } from "../../errors.js";

/**
 * The version guard of a write found the row moved on since this transaction read it (a
 * concurrent writer). Retried when the caller did not pin a version; otherwise a 412.
 */
export class LostRace extends AppError {
  constructor(message: string) {
    super("precondition_failed", message);
  }
}
