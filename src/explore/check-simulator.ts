import { readTraceFile } from '../capture/trace-io';
import { estimate } from '../estimate';
import { layerInputRates } from '../pipeline/trace-sparsity';
import { simulate, spikeFramesFromTrace, TraceActivity } from '../simulate';
import { relativeErrorPercent } from '../validate';
import { CandidateEvaluator, EvaluatedCandidate } from './evaluator';

/** The analytical and simulated totals of one mapping on one sample of a trace. */
export interface SimulatorCheck {
  role: string;
  point: EvaluatedCandidate;
  analytical: { offChipBits: number; energyPj: number; cycles: number };
  simulated: { offChipBits: number; energyPj: number; cycles: number };
  /** 100 x |analytical - simulated| / simulated per figure; null when the simulated figure is 0 and the analytical one is not. */
  errorPercent: { offChipBits: number | null; energyPj: number | null; cycles: number | null };
  simulatedSeconds: number;
}

/**
 * Re-checks mappings with the cycle-level simulator on one sample of a spike trace. Both sides see the same spikes:
 * the simulator reads them from the trace, and the analytical model gets each layer's input spike rate per timestep
 * from the same sample.
 */
export function checkWithSimulator(
  evaluator: CandidateEvaluator,
  mappings: { role: string; point: EvaluatedCandidate }[],
  traceFile: string,
  sample = 0,
): SimulatorCheck[] {
  const trace = readTraceFile(traceFile);
  return mappings.map(({ role, point }) => {
    const resolved = evaluator.resolve(point.candidate);
    if (!('mapping' in resolved)) {
      throw new Error(`internal error: the explored mapping '${role}' no longer resolves: ${resolved.reason}`);
    }
    const network = resolved.mapping.network;
    const sparsity = layerInputRates(network, trace.header, trace.samples[sample]);
    const analytical = estimate(network, evaluator.hardware, resolved.mapping, { sparsity, detail: 'totals' }).totals;
    const started = performance.now();
    const activity = new TraceActivity(spikeFramesFromTrace(trace, network, sample, traceFile), traceFile);
    const simulated = simulate(resolved.mapping, { activity }).cost.totals;
    const simulatedSeconds = (performance.now() - started) / 1000;
    const pick = (totals: typeof analytical) => ({ offChipBits: totals.offChipBits, energyPj: totals.energyPj, cycles: totals.cycles });
    return {
      role,
      point,
      analytical: pick(analytical),
      simulated: pick(simulated),
      errorPercent: {
        offChipBits: relativeErrorPercent(analytical.offChipBits, simulated.offChipBits),
        energyPj: relativeErrorPercent(analytical.energyPj, simulated.energyPj),
        cycles: relativeErrorPercent(analytical.cycles, simulated.cycles),
      },
      simulatedSeconds,
    };
  });
}
