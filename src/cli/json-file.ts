/** Reading a JSON file a command was given; an unreadable or malformed file is an error that names the file. */
import { readFile } from "node:fs/promises";
import { AppError } from "../app/errors.js";

export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError("bad_request", `cannot read ${file}${code === "ENOENT" ? ": no such file" : code ? ` (${code})` : ""}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError("bad_request", `${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
