// Original file: proto/inference/open_inference_grpc.proto


export interface ServerMetadataRequest {
}

export interface ServerMetadataRequest__Output {
}
