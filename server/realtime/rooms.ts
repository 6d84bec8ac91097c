/**
 * Whether an emit to some rooms can reach anyone. socket.io encodes a broadcast before it looks
 * at who is in the rooms, so an emit nobody receives (the admin fan-out of every visitor message
 * and typing change while no admin watches) still costs the encoding. With the in-memory adapter
 * this process knows every member; with any other adapter (a cluster) it cannot, and says yes.
 */
import type { Namespace } from 'socket.io';

const LOCAL_ADAPTERS = new Set(['Adapter', 'SessionAwareAdapter']);

export function anyoneIn(nsp: Namespace, rooms: string | readonly string[]): boolean {
  const adapter = nsp.adapter;
  if (!LOCAL_ADAPTERS.has(adapter.constructor.name)) return true;
  if (typeof rooms === 'string') return (adapter.rooms.get(rooms)?.size ?? 0) > 0;
  for (const room of rooms) if ((adapter.rooms.get(room)?.size ?? 0) > 0) return true;
  return false;
}

/** whether `room` holds any socket other than `socketId` (yes when this process cannot know) */
export function anyoneElseIn(nsp: Namespace, room: string, socketId: string): boolean {
  const adapter = nsp.adapter;
  if (!LOCAL_ADAPTERS.has(adapter.constructor.name)) return true;
  const members = adapter.rooms.get(room);
  if (!members) return false;
  return members.size > (members.has(socketId) ? 1 : 0);
}
