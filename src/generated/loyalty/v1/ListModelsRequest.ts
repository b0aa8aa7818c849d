// Original file: proto/loyalty/v1/model_service.proto


export interface ListModelsRequest {
}

export interface ListModelsRequest__Output {
}
