import { AUDIO_KEY, deviceOptions, loadAudioChoice, nextDevice, pickDevice, saveAudioChoice, type DeviceInfo } from '../../src/rtc/audio-devices';

const list: DeviceInfo[] = [
  { kind: 'audioinput', deviceId: 'default', label: 'Default' },
  { kind: 'audioinput', deviceId: 'headset', label: '' },
  { kind: 'videoinput', deviceId: 'cam', label: 'Camera' },
  { kind: 'audiooutput', deviceId: 'out1', label: '' },
  { kind: 'audiooutput', deviceId: 'out2', label: 'Speakers <b>' },
];

describe('deviceOptions', () => {
  it('lists one role in the browser order, numbering the unlabeled ones, labels kept as they are', () => {
    expect(deviceOptions(list, 'mic')).toEqual([{ id: 'default', label: 'Default' }, { id: 'headset', label: 'Microphone 2' }]);
    expect(deviceOptions(list, 'speaker')).toEqual([{ id: 'out1', label: 'Speaker 1' }, { id: 'out2', label: 'Speakers <b>' }]);
    expect(deviceOptions([...list, { kind: 'videoinput', deviceId: 'cam2', label: '' }], 'camera')).toEqual([{ id: 'cam', label: 'Camera' }, { id: 'cam2', label: 'Camera 2' }]);
  });
});

describe('pickDevice', () => {
  it('the chosen device while it is listed for that role, else the default', () => {
    expect(pickDevice(list, 'mic', 'headset')).toBe('headset');
    expect(pickDevice(list, 'mic', 'gone')).toBe('');
    expect(pickDevice(list, 'mic', 'out1')).toBe(''); // a speaker is no microphone
    expect(pickDevice(list, 'speaker', '')).toBe('');
  });
});

describe('nextDevice', () => {
  const without = (id: string) => list.filter((d) => d.deviceId !== id);
  it('keeps a live device that is still the one to use', () => {
    expect(nextDevice(list, 'mic', 'headset', 'headset', true)).toBeNull();
    expect(nextDevice(list, 'mic', '', '', true)).toBeNull();
    expect(nextDevice(without('headset'), 'mic', 'headset', '', true)).toBeNull(); // already fell back
  });
  it('a new choice moves without a word', () => {
    expect(nextDevice(list, 'mic', 'headset', '', true)).toEqual({ id: 'headset', lost: false });
    expect(nextDevice(list, 'mic', '', 'headset', true)).toEqual({ id: '', lost: false });
  });
  it('the device in use unplugged: the default, told', () => {
    expect(nextDevice(without('headset'), 'mic', 'headset', 'headset', true)).toEqual({ id: '', lost: true });
    expect(nextDevice(without('out2'), 'speaker', 'out2', 'out2', true)).toEqual({ id: '', lost: true });
  });
  it('its track ended (the default microphone unplugged): opened again, told', () => {
    expect(nextDevice(list, 'mic', '', '', false)).toEqual({ id: '', lost: true });
  });
  it('plugged back in: the chosen one again', () => {
    expect(nextDevice(list, 'mic', 'headset', '', true)).toEqual({ id: 'headset', lost: false });
  });
});

describe('nextDevice (camera)', () => {
  it('the chosen camera unplugged: the default, told; a new choice: moved without a word', () => {
    expect(nextDevice(list, 'camera', 'gone', 'gone', true)).toEqual({ id: '', lost: true });
    expect(nextDevice(list, 'camera', 'cam', '', true)).toEqual({ id: 'cam', lost: false });
    expect(nextDevice(list, 'camera', 'cam', 'cam', true)).toBeNull();
  });
});

describe('loadAudioChoice / saveAudioChoice', () => {
  const store = (value: string | null) => ({ getItem: () => value });
  it('reads back what was saved', () => {
    const map = new Map<string, string>();
    saveAudioChoice({ setItem: (k, v) => void map.set(k, v) }, { mic: 'headset', speaker: 'out2' });
    expect(loadAudioChoice({ getItem: (k) => map.get(k) ?? null })).toEqual({ mic: 'headset', speaker: 'out2', camera: '' });
    expect([...map.keys()]).toEqual([AUDIO_KEY]);
  });
  it('nothing, not JSON, the wrong shape or a throwing store: the defaults', () => {
    for (const raw of [null, '{', '"x"', 'null', '{"mic":3,"speaker":["a"]}']) expect(loadAudioChoice(store(raw))).toEqual({ mic: '', speaker: '', camera: '' });
    expect(loadAudioChoice({ getItem: () => { throw new Error('SecurityError'); } })).toEqual({ mic: '', speaker: '', camera: '' });
    expect(loadAudioChoice(store('{"mic":"a"}'))).toEqual({ mic: 'a', speaker: '', camera: '' });
    expect(loadAudioChoice(store('{"camera":"back"}'))).toEqual({ mic: '', speaker: '', camera: 'back' }); // the camera, remembered likewise
  });
  it('a store that refuses to save is no failure', () => {
    expect(() => saveAudioChoice({ setItem: () => { throw new Error('QuotaExceededError'); } }, { mic: 'a', speaker: '' })).not.toThrow();
  });
});
