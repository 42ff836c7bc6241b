import { Static, Type } from '@sinclair/typebox';

const DimSchema = Type.Union(
  ['T', 'B', 'K', 'C', 'OY', 'OX', 'FY', 'FX'].map((dim) => Type.Literal(dim)),
  { description: 'A loop dimension.' },
);

/** One temporal loop: the dimension and its factor. */
const LoopSchema = Type.Tuple([DimSchema, Type.Integer({ minimum: 1 })]);

export const LevelLoopsSchema = Type.Object(
  {
    level: Type.String({ minLength: 1, description: 'Name of a memory level of the hardware.' }),
    loops: Type.Array(LoopSchema, {
      description: 'Temporal loops whose tiles this level holds, outermost first, as [dimension, factor] pairs.',
    }),
  },
  { additionalProperties: false },
);
export type LevelLoopsSpec = Static<typeof LevelLoopsSchema>;

export const LayerMappingSchema = Type.Object(
  {
    spatial: Type.Optional(
      Type.Record(Type.String({ pattern: '^(K|C|OY|OX|FY|FX|B)$' }), Type.Integer({ minimum: 1 }), {
        description: 'Spatial unrolling: the factor of each loop dimension mapped onto the PE array axis of the same name.',
      }),
    ),
    temporal: Type.Optional(
      Type.Array(LevelLoopsSchema, {
        description:
          'Temporal loops per memory level, outermost level first. What a dimension lacks goes to the outermost on-chip level.',
      }),
    ),
    stateLevel: Type.Optional(
      Type.String({ description: "Memory level where the layer's neuron state lives between timesteps (default: the global buffer)." }),
    ),
  },
  { additionalProperties: false },
);
export type LayerMappingSpec = Static<typeof LayerMappingSchema>;

export const GroupScheduleSchema = Type.Object(
  {
    layers: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'Layers of the group.' })),
    blocks: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'Blocks of the group; an alternative to layers.' }),
    ),
    schedule: Type.Union([Type.Literal('layer-by-layer'), Type.Literal('fused')], {
      description: "'layer-by-layer' finishes a layer before the next starts; 'fused' interleaves the layers tile by tile.",
    }),
    tileAxis: Type.Optional(Type.Union([Type.Literal('OX'), Type.Literal('OY')], { description: 'Axis along which fusion cuts each layer.' })),
    tileSize: Type.Optional(Type.Integer({ minimum: 1, description: 'Output columns (or rows) per fused tile.' })),
    timeBatch: Type.Integer({
      minimum: 1,
      description: '1 is sequential time (one timestep per step of the schedule); T is fully time-batched.',
    }),
  },
  { additionalProperties: false },
);
export type GroupScheduleSpec = Static<typeof GroupScheduleSchema>;

export const MappingSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    network: Type.Optional(Type.String({ description: 'Name of the network this mapping was written for; checked when given.' })),
    groups: Type.Optional(
      Type.Array(GroupScheduleSchema, {
        description: 'Inter-layer schedule, one entry per group of consecutive layers in order; layers not named form layer-by-layer groups.',
      }),
    ),
    defaultGroup: Type.Optional(
      Type.Omit(GroupScheduleSchema, ['layers', 'blocks'], { description: 'Schedule of the layers that no group names.' }),
    ),
    layers: Type.Optional(
      Type.Record(Type.String(), LayerMappingSchema, { description: 'Intra-layer mapping per layer name; left-out layers get the default.' }),
    ),
  },
  { additionalProperties: false },
);
export type MappingSpec = Static<typeof MappingSchema>;
