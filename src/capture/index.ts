/** Public interface of the capture stage: traces for the simulator, capture for `stemsim run`, training and calibration. */
export { captureTraces, defaultWeightsDir, DEFAULT_BITMAP_NEURON_LIMIT, DEFAULT_TILE_SIZE } from './capture';
export type { CaptureOptions, CaptureResult } from './capture';
export { readTraceFile, writeTraceFile, decodeTrace, encodeTrace, TraceWriter, TRACE_PROTO_FILE, TRACE_FILE_EXTENSION } from './trace-io';
export { layerIndex, layerStep, spikeBitmap, neuronCount, neuronIndex, isBitSet, unpackBitmap, countBits } from './trace-query';
export { summariseTrace } from './trace-summary';
export type { TraceSummary, LayerTraceSummary } from './trace-summary';
export * from './trace-types';
export { trainNetwork, TRAIN_DEFAULTS } from './train';
export type { TrainOptions, TrainResult, EpochReport } from './train';
export { calibrateNetwork, CALIBRATE_DEFAULTS } from './calibrate';
export type { CalibrateOptions, CalibrationResult, LayerCalibration } from './calibrate';
export { selectBackend, BACKEND_NAMES, BackendError } from './backend';
export type { BackendName } from './backend';
export { loadWeights, saveWeights } from './weights';
export type { NetworkWeights, WeightsMetadata, WeightsOrigin } from './weights';
export { CaptureError } from './errors';
