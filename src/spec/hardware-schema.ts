import { Static, Type } from '@sinclair/typebox';

const OperandNameSchema = Type.Union(
  [Type.Literal('weight'), Type.Literal('input'), Type.Literal('output'), Type.Literal('partial_sum'), Type.Literal('state')],
  { description: 'An operand of a layer.' },
);

export const MemoryLevelSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_]+$' }),
    kind: Type.Union([Type.Literal('dram'), Type.Literal('sram'), Type.Literal('registers')], {
      description: "'dram' is off-chip; exactly one level, the outermost, must be DRAM.",
    }),
    capacityBits: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'Capacity in bits; left out for DRAM, which is taken as unbounded. For registers, the capacity of one PE.',
      }),
    ),
    wordBits: Type.Integer({ minimum: 1, description: 'Bits per access: every transfer is rounded up to whole words.' }),
    readBandwidthBitsPerCycle: Type.Number({ exclusiveMinimum: 0 }),
    writeBandwidthBitsPerCycle: Type.Number({ exclusiveMinimum: 0 }),
    readEnergyPj: Type.Number({ minimum: 0, description: 'Energy of one read, per word or per bit as energyPer says.' }),
    writeEnergyPj: Type.Number({ minimum: 0, description: 'Energy of one write, per word or per bit as energyPer says.' }),
    energyPer: Type.Union([Type.Literal('word'), Type.Literal('bit')], { description: 'Unit of readEnergyPj and writeEnergyPj.' }),
    readPorts: Type.Integer({ minimum: 0, description: 'Read-only ports.' }),
    writePorts: Type.Integer({ minimum: 0, description: 'Write-only ports.' }),
    readWritePorts: Type.Optional(Type.Integer({ minimum: 0, description: 'Ports shared by reads and writes.' })),
    banks: Type.Integer({ minimum: 1 }),
    latencyCycles: Type.Optional(Type.Integer({ minimum: 0, description: 'Cycles from a request to its first word.' })),
    doubleBuffered: Type.Optional(
      Type.Boolean({ description: 'true lets the fill of the next tile overlap the compute of the current one.' }),
    ),
    perPe: Type.Optional(Type.Boolean({ description: 'true for a level replicated in every PE (registers).' })),
    operands: Type.Array(OperandNameSchema, { minItems: 1, uniqueItems: true, description: 'The operands this level stores.' }),
  },
  { additionalProperties: false },
);
export type MemoryLevelSpec = Static<typeof MemoryLevelSchema>;

export const PeArraySchema = Type.Object(
  {
    dims: Type.Record(Type.String({ pattern: '^(K|C|OY|OX|FY|FX|B)$' }), Type.Integer({ minimum: 1 }), {
      description: 'Spatial dimensions of the array and the loop each one unrolls, e.g. {"K": 32, "C": 2, "OY": 16}.',
    }),
    macEnergyPj: Type.Number({ minimum: 0, description: 'Energy of one multiply-accumulate with a multi-bit input.' }),
    macInputBits: Type.Integer({ minimum: 1, description: 'Input width for which macEnergyPj holds.' }),
    accumulateEnergyPj: Type.Number({
      minimum: 0,
      description: 'Energy of one accumulate triggered by a binary spike (no multiply).',
    }),
    neuronUpdateEnergyPj: Type.Optional(
      Type.Number({ minimum: 0, description: 'Energy of one neuron update (leak, threshold, reset); 0 folds it into the accumulate.' }),
    ),
    eventDriven: Type.Boolean({ description: 'true: the array skips zero input spikes, so work scales with the spike rate.' }),
  },
  { additionalProperties: false },
);

export const HardwareSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    clockHz: Type.Number({ exclusiveMinimum: 0, description: 'Clock frequency, used only to report seconds.' }),
    peArray: PeArraySchema,
    levels: Type.Array(MemoryLevelSchema, {
      minItems: 2,
      description: 'Memory levels from the outermost (DRAM) to the innermost (registers).',
    }),
  },
  { additionalProperties: false },
);
export type HardwareSpec = Static<typeof HardwareSchema>;
