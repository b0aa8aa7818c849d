// Original file: proto/inference/open_inference_grpc.proto


export interface ServerLiveRequest {
}

export interface ServerLiveRequest__Output {
}
