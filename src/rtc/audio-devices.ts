/** Which microphone, speaker and camera a call uses: pure decisions over the device list and the person's choice. */

/** deviceIds the person chose; '' is the browser's default device. */
export interface AudioChoice {
  readonly mic: string;
  readonly speaker: string;
  readonly camera?: string;
}
export type AudioRole = keyof AudioChoice;
export const DEFAULT_AUDIO: AudioChoice = { mic: '', speaker: '', camera: '' };

/** One entry of a device select: the label is device-supplied text (the View sets it as text). */
export interface DeviceOption {
  readonly id: string;
  readonly label: string;
}

export type DeviceInfo = Pick<MediaDeviceInfo, 'kind' | 'deviceId' | 'label'>;

const KIND = { mic: 'audioinput', speaker: 'audiooutput', camera: 'videoinput' } as const;
const NAME = { mic: 'Microphone', speaker: 'Speaker', camera: 'Camera' } as const;

/** The devices of a role, in the browser's order; unlabeled ones (no permission yet) numbered. */
export const deviceOptions = (list: readonly DeviceInfo[], role: AudioRole): DeviceOption[] =>
  list.filter((d) => d.kind === KIND[role]).map((d, i) => ({ id: d.deviceId, label: d.label || `${NAME[role]} ${i + 1}` }));

/** The chosen device while it is listed, else the default (''): a device unplugged, or gone since the last call. */
export const pickDevice = (list: readonly DeviceInfo[], role: AudioRole, chosen: string): string =>
  chosen !== '' && list.some((d) => d.kind === KIND[role] && d.deviceId === chosen) ? chosen : '';

/**
 * What to open after a device change or a new choice: `null` keeps what is in use (`using`, `live`:
 * its track still runs). `lost`: the device in use went away (unplugged, or its track ended), so the
 * person is told about the fallback.
 */
export function nextDevice(list: readonly DeviceInfo[], role: AudioRole, chosen: string, using: string, live: boolean): { readonly id: string; readonly lost: boolean } | null {
  const id = pickDevice(list, role, chosen);
  if (id === using && live) return null;
  return { id, lost: !live || (using !== '' && pickDevice(list, role, using) === '') };
}

export const AUDIO_KEY = 'verto-peer.audio';

/** The choice remembered from an earlier call; anything unreadable is the default. */
export function loadAudioChoice(store: Pick<Storage, 'getItem'>): AudioChoice {
  try {
    const o: unknown = JSON.parse(store.getItem(AUDIO_KEY) ?? '{}');
    const id = (v: unknown) => (typeof v === 'string' ? v : '');
    const r = o instanceof Object ? (o as Partial<Record<AudioRole, unknown>>) : {};
    return { mic: id(r.mic), speaker: id(r.speaker), camera: id(r.camera) };
  } catch {
    return DEFAULT_AUDIO; // disabled storage, or not JSON
  }
}

export function saveAudioChoice(store: Pick<Storage, 'setItem'>, choice: AudioChoice): void {
  try {
    store.setItem(AUDIO_KEY, JSON.stringify(choice));
  } catch {
    // quota or disabled storage: the choice still holds for this visit
  }
}
