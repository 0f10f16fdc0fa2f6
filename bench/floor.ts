/** First remote frame on each side of the floor call, in ms after t0. */
export interface FloorTimes {
  readonly caller: number;
  readonly callee: number;
}

/**
 * The floor for call setup: one page, two RTCPeerConnections, descriptions and candidates handed
 * over directly in JavaScript (no server, no relay, no app). At t0 both sides acquire the same fake
 * camera and microphone, as the callee does when Accept is clicked. Returns when each side's video
 * element has presented its first remote frame (requestVideoFrameCallback), then tears it all down.
 *
 * Runs in the browser (page.evaluate): self-contained.
 */
export async function floorCall(timeoutMs: number): Promise<FloorTimes> {
  const t0 = performance.now();
  const constraints = { video: true, audio: true };
  const [callerMedia, calleeMedia] = await Promise.all([navigator.mediaDevices.getUserMedia(constraints), navigator.mediaDevices.getUserMedia(constraints)]);
  const caller = new RTCPeerConnection({ iceServers: [] });
  const callee = new RTCPeerConnection({ iceServers: [] });
  const videos: HTMLVideoElement[] = [];

  // Candidates wait for the remote description of their receiver, as a signalling channel's order would give.
  const gate = (): { ready: () => void; wait: Promise<void> } => {
    let ready = (): void => undefined;
    const wait = new Promise<void>((resolve) => (ready = resolve));
    return { ready, wait };
  };
  const toCallee = gate();
  const toCaller = gate();
  caller.addEventListener('icecandidate', (e) => void toCallee.wait.then(() => callee.addIceCandidate(e.candidate ?? undefined)).catch(() => undefined));
  callee.addEventListener('icecandidate', (e) => void toCaller.wait.then(() => caller.addIceCandidate(e.candidate ?? undefined)).catch(() => undefined));

  const firstFrame = (pc: RTCPeerConnection): Promise<number> =>
    new Promise<number>((resolve) => {
      pc.addEventListener('track', (e) => {
        if (e.track.kind !== 'video') return;
        const video = document.createElement('video');
        Object.assign(video, { autoplay: true, playsInline: true, muted: true, width: 320, height: 240 });
        document.body.append(video);
        videos.push(video);
        video.srcObject = e.streams[0] ?? new MediaStream([e.track]);
        video.requestVideoFrameCallback((now) => resolve(now - t0));
        void video.play().catch(() => undefined);
      });
    });
  const callerFrame = firstFrame(caller);
  const calleeFrame = firstFrame(callee);

  for (const track of callerMedia.getTracks()) caller.addTrack(track, callerMedia);
  for (const track of calleeMedia.getTracks()) callee.addTrack(track, calleeMedia);

  let timer = 0;
  const timeout = new Promise<never>((_, reject) => {
    timer = window.setTimeout(() => reject(new Error(`floor call: no first frames within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const offer = await caller.createOffer();
    await caller.setLocalDescription(offer);
    await callee.setRemoteDescription(offer);
    toCallee.ready();
    const answer = await callee.createAnswer();
    await callee.setLocalDescription(answer);
    await caller.setRemoteDescription(answer);
    toCaller.ready();
    const [a, b] = await Promise.race([Promise.all([callerFrame, calleeFrame]), timeout]);
    return { caller: a, callee: b };
  } finally {
    window.clearTimeout(timer);
    caller.close();
    callee.close();
    for (const track of [...callerMedia.getTracks(), ...calleeMedia.getTracks()]) track.stop();
    for (const video of videos) {
      video.srcObject = null;
      video.remove();
    }
  }
}
