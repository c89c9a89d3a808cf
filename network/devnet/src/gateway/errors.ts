/**
 * Gateway errors as Fabric reports them (internal/pkg/gateway/apiutils.go): a gRPC status whose
 * `grpc-status-details-bin` trailer is a google.rpc.Status carrying one gateway.ErrorDetail per peer.
 */
import * as grpc from '@grpc/grpc-js';
import { gateway, google, peer } from '@hyperledger/fabric-protos';
import { Any } from 'google-protobuf/google/protobuf/any_pb';

export interface PeerErrorDetail {
  readonly address: string;
  readonly mspId: string;
  readonly message: string;
}

export class GatewayRpcError extends Error implements Partial<grpc.ServiceError> {
  readonly code: grpc.status;
  readonly details: string;
  readonly metadata: grpc.Metadata;

  constructor(code: grpc.status, message: string, details: readonly PeerErrorDetail[] = []) {
    super(message);
    this.code = code;
    this.details = message;
    const status = new google.rpc.Status();
    status.setCode(code);
    status.setMessage(message);
    status.setDetailsList(
      details.map((d) => {
        const detail = new gateway.ErrorDetail();
        detail.setAddress(d.address);
        detail.setMspId(d.mspId);
        detail.setMessage(d.message);
        const any = new Any();
        any.pack(detail.serializeBinary(), 'gateway.ErrorDetail');
        return any;
      }),
    );
    this.metadata = new grpc.Metadata();
    this.metadata.set('grpc-status-details-bin', Buffer.from(status.serializeBinary()));
  }
}

/** How one peer's answer to a proposal is judged (gw/apiutils.go `responseStatus`). */
export interface ResponseStatus {
  readonly code: grpc.status;
  readonly message: string;
}

/**
 * `transportError` = the call to the peer failed with no response; `preProcessError` = the peer
 * returned a response together with an error (validation or ACL).
 */
export function responseStatus(
  response: peer.ProposalResponse | undefined,
  failure: { transportError?: string; preProcessError?: string },
): ResponseStatus {
  if (failure.transportError !== undefined)
    return { code: grpc.status.UNAVAILABLE, message: failure.transportError };
  if (failure.preProcessError !== undefined)
    return { code: grpc.status.FAILED_PRECONDITION, message: failure.preProcessError };
  const res = response?.getResponse();
  const status = res?.getStatus() ?? 500;
  if (status < 200 || status >= 400) {
    if (status === 500 && (response?.getPayload_asU8().length ?? 0) === 0) {
      return { code: grpc.status.ABORTED, message: res?.getMessage() ?? '' };
    }
    return { code: grpc.status.UNKNOWN, message: `chaincode response ${status}, ${res?.getMessage() ?? ''}` };
  }
  return { code: grpc.status.OK, message: '' };
}
