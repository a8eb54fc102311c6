/**
 * Storage port of round-robin rotations.
 *
 * Glossary
 * - Rotation: per (workspace, key), the user who was given the last item, so that the next
 *   assignment goes to the one after them.
 */

export interface RotationPort {
  getRotation(workspaceId: string, key: string): Promise<string | undefined>;
  setRotation(workspaceId: string, key: string, lastUserId: string): Promise<void>;
}
