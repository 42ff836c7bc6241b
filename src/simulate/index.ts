/**
 * The trace-driven, cycle-level simulator (docs/cost-model.md is the contract for what it counts).
 *
 * - `simulate(resolvedMapping, { activity?, dramTiming?, timeline?, onProgress? }) -> SimulationResult`: runs the
 *   schedule on the hardware and returns a CostResult with source 'simulated', the event count, per-component
 *   figures and, when asked, a Perfetto timeline.
 * - Spike activity: `DenseActivity` (no trace), `TraceActivity` over `SpikeFrames` (bitmaps, tile counts or rates),
 *   `readSpikeFrames(file, network, sample)` or `spikeFramesFromTrace(traceFile, network, sample, source)` to take one
 *   sample of a trace.
 */
export { simulate, SimulateOptions, SimulationResult, ComponentReport } from './simulate';
export { ActivityKind, DenseActivity, SpikeActivity, TensorRegion } from './activity/spike-activity';
export { SpikeFrames, TensorSpikes } from './activity/spike-frames';
export { TraceActivity } from './activity/trace-activity';
export { readSpikeFrames, spikeFramesFromTrace, TraceMismatchError } from './activity/trace-file';
export { DramTiming } from './components/dram';
export { stepNeuron, NEURON_UPDATE_STAGES } from './components/neuron-unit';
export { TimelineRecorder, DEFAULT_TIMELINE_EVENT_LIMIT } from './output/timeline';
export { Engine, Component } from './engine/engine';
export { EventQueue } from './engine/event-queue';
