// A test hook for the engine host: calls can be held at the start of a named stage
// ('decode', 'segment', 'render', 'encode') until released, so a test aborts a call at a
// known point instead of racing the worker. Unused, it costs one Map lookup a stage.
export function createStageGate({ onHeld = () => {} } = {}) {
  const holds = new Map();  // stage -> resolvers of the calls waiting there
  return {
    hold(stage) {
      if (!holds.has(stage)) holds.set(stage, []);
    },
    release(stage) {
      const waiting = holds.get(stage) ?? [];
      holds.delete(stage);
      for (const resolve of waiting) resolve();
    },
    /** Awaited by the host at the start of each stage: waits while `stage` is held. */
    async before(stage) {
      const waiting = holds.get(stage);
      if (!waiting) return;
      const released = new Promise((resolve) => waiting.push(resolve));
      onHeld(stage);
      await released;
    },
  };
}
