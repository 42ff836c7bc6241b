import { Static, Type } from '@sinclair/typebox';

/** Bit widths of the operands of a layer; any field left out takes the network default. */
export const PrecisionSchema = Type.Object(
  {
    weightBits: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, description: 'Bits per weight.' })),
    inputBits: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 64, description: "Bits per input element; defaults to the producer's outputBits." }),
    ),
    outputBits: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 64, description: 'Bits per output element: 1 for a spike, more for an activation.' }),
    ),
    partialSumBits: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, description: 'Bits per partial sum.' })),
    stateBits: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, description: 'Bits per membrane potential (neuron state).' })),
  },
  { additionalProperties: false },
);
export type Precision = Static<typeof PrecisionSchema>;

export const NeuronSchema = Type.Object(
  {
    model: Type.Union([Type.Literal('none'), Type.Literal('if'), Type.Literal('lif'), Type.Literal('plif')], {
      description:
        "'none' is a stateless ANN layer (ReLU, then quantised to outputBits); 'if', 'lif' and 'plif' are spiking neurons.",
    }),
    threshold: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Firing threshold of the membrane potential.' })),
    decay: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'Leak factor beta in v[t] = beta * v[t-1] + input[t]; IF uses 1; PLIF learns it from this start value.',
      }),
    ),
    reset: Type.Optional(
      Type.Union([Type.Literal('subtract'), Type.Literal('zero')], {
        description: "After a spike, 'subtract' removes the threshold from v and 'zero' sets v to the reset value.",
      }),
    ),
    resetValue: Type.Optional(Type.Number({ description: "Value of v after a spike when reset is 'zero'." })),
    initialState: Type.Optional(Type.Number({ description: 'Membrane potential before the first timestep.' })),
    stateful: Type.Optional(
      Type.Boolean({
        description:
          'false makes a spiking neuron forget its membrane potential after every timestep, so the layer keeps no state.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type Neuron = Static<typeof NeuronSchema>;

const layerCommon = {
  name: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Unique layer name.' }),
  inputs: Type.Array(Type.String({ minLength: 1 }), {
    minItems: 1,
    description: "Names of the layers this one reads, or 'input' for the network input.",
  }),
  block: Type.Optional(Type.String({ description: 'Name of the block the layer belongs to; blocks group layers for options and schedules.' })),
  precision: Type.Optional(PrecisionSchema),
  neuron: Type.Optional(NeuronSchema),
};

const KernelSchema = Type.Union([
  Type.Integer({ minimum: 1 }),
  Type.Tuple([Type.Integer({ minimum: 1 }), Type.Integer({ minimum: 1 })]),
]);

export const Conv2dLayerSchema = Type.Object(
  {
    ...layerCommon,
    type: Type.Literal('conv2d'),
    outChannels: Type.Integer({ minimum: 1 }),
    kernel: KernelSchema,
    stride: Type.Optional(Type.Integer({ minimum: 1 })),
    padding: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Literal('same')])),
  },
  { additionalProperties: false },
);

export const DenseLayerSchema = Type.Object(
  { ...layerCommon, type: Type.Literal('dense'), outFeatures: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

export const AddLayerSchema = Type.Object({ ...layerCommon, type: Type.Literal('add') }, { additionalProperties: false });

const poolFields = {
  ...layerCommon,
  kernel: KernelSchema,
  stride: Type.Optional(Type.Integer({ minimum: 1, description: 'Defaults to the kernel size.' })),
};
export const MaxPoolLayerSchema = Type.Object({ ...poolFields, type: Type.Literal('maxpool') }, { additionalProperties: false });
export const AvgPoolLayerSchema = Type.Object({ ...poolFields, type: Type.Literal('avgpool') }, { additionalProperties: false });

export const FlattenLayerSchema = Type.Object({ ...layerCommon, type: Type.Literal('flatten') }, { additionalProperties: false });

const layerVariants = [Conv2dLayerSchema, DenseLayerSchema, AddLayerSchema, MaxPoolLayerSchema, AvgPoolLayerSchema, FlattenLayerSchema];
export type LayerSpec = Static<(typeof layerVariants)[number]>;

/** A layer, distinguished by its `type`, so that validation reports the errors of the matching layer kind only. */
export const LayerSchema = Type.Unsafe<LayerSpec>({
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: layerVariants,
});

export const NetworkSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    timesteps: Type.Integer({ minimum: 1, description: 'T: the number of timesteps of one inference.' }),
    batch: Type.Optional(Type.Integer({ minimum: 1, description: 'B: samples processed together (default 1).' })),
    input: Type.Object(
      {
        channels: Type.Integer({ minimum: 1 }),
        height: Type.Integer({ minimum: 1 }),
        width: Type.Integer({ minimum: 1 }),
        bits: Type.Integer({ minimum: 1, maximum: 64, description: 'Bits per input element.' }),
      },
      { additionalProperties: false },
    ),
    classes: Type.Optional(Type.Integer({ minimum: 2, description: 'Number of classes of the last layer, if it classifies.' })),
    defaults: Type.Object(
      {
        precision: Type.Object(
          {
            weightBits: Type.Integer({ minimum: 1, maximum: 64 }),
            outputBits: Type.Integer({ minimum: 1, maximum: 64 }),
            partialSumBits: Type.Integer({ minimum: 1, maximum: 64 }),
            stateBits: Type.Integer({ minimum: 1, maximum: 64 }),
          },
          { additionalProperties: false },
        ),
        neuron: NeuronSchema,
      },
      { additionalProperties: false, description: 'Precision and neuron of every layer that does not set its own.' },
    ),
    options: Type.Optional(
      Type.Object(
        {
          keepStateInLastBlocks: Type.Optional(
            Type.Integer({
              minimum: 0,
              description:
                'Keep neuron state only in the last N blocks (in layer order); spiking layers of earlier blocks become stateless.',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    layers: Type.Array(LayerSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type NetworkSpec = Static<typeof NetworkSchema>;
