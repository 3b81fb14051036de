// Opens the wire view on one call's own frames (from a result, an error, a console statement).
import { useStore } from '../store';

export function FramesButton({ callId, className }: { callId: number; className?: string }) {
  const showCallFrames = useStore((s) => s.showCallFrames);
  return (
    <button className={className} onClick={() => showCallFrames(callId)} aria-label={`Show the frames of call #${callId}`}>
      Frames
    </button>
  );
}
