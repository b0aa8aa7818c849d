import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType as DecisionProto } from '../generated/decision_service.js';
import type { ProtoGrpcType as LoyaltyProto } from '../generated/loyalty_service.js';
import type { ProtoGrpcType as ModelProto } from '../generated/model_service.js';
import type { ProtoGrpcType as InferenceProto } from '../generated/open_inference_grpc.js';

/** proto/ at the top of the repository, from src/server or dist/server alike. */
export const PROTO_DIR = fileURLToPath(new URL('../../proto', import.meta.url));

export const PROTO_FILES = [
  'loyalty/v1/loyalty_service.proto',
  'loyalty/v1/model_service.proto',
  'loyalty/v1/decision_service.proto',
  'inference/open_inference_grpc.proto',
];

/**
 * Loader options; the Makefile's proto-loader-gen-types flags must match them, so that the
 * generated types in src/generated describe exactly the objects this loader produces.
 */
export const LOADER_OPTIONS: protoLoader.Options = {
  includeDirs: [PROTO_DIR],
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

export type LoyaltyGrpc = LoyaltyProto & ModelProto & DecisionProto & InferenceProto;

export function loadContract(): { definition: protoLoader.PackageDefinition; grpcObject: LoyaltyGrpc } {
  const definition = protoLoader.loadSync(PROTO_FILES, LOADER_OPTIONS);
  return { definition, grpcObject: grpc.loadPackageDefinition(definition) as unknown as LoyaltyGrpc };
}
