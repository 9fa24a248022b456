// Channel API: clients for partner accounts A and B, the AWS side's handshake
// routes (cosell's admin API), and the steps the Channel tests share.
import {
  PartnerCentralChannelClient,
  CreateProgramManagementAccountCommand,
  CreateChannelHandshakeCommand,
} from "@aws-sdk/client-partnercentral-channel";
import { SQSClient, GetQueueUrlCommand, ReceiveMessageCommand, DeleteMessageCommand } from "@aws-sdk/client-sqs";
import { region } from "./clients.mjs";

/** A Channel API client for `who` (accountA or accountB). The SDK resolves SigV4a first and signs SigV4 when no SigV4a signer is installed, as here. */
export function channelClient(endpoint, who) {
  return new PartnerCentralChannelClient({ endpoint, region, credentials: who.credentials, maxAttempts: 1 });
}

export const idPatterns = {
  pma: /^pma-[a-z0-9]{13}$/,
  relationship: /^rs-[a-z0-9]{13}$/,
  handshake: /^ch-[a-z0-9]{13}$/,
};

/** Creates a PENDING PMA of `client`'s account for management account `accountId`; resolves to { id, arn }. */
export async function createPMA(client, accountId, { catalog = "Sandbox", program = "SOLUTION_PROVIDER", displayName = "Channel PMA" } = {}) {
  const out = await client.send(new CreateProgramManagementAccountCommand({ catalog, program, displayName, accountId }));
  return out.programManagementAccountDetail;
}

/** Sends the PROGRAM_MANAGEMENT_ACCOUNT handshake of a PMA; resolves to { id, arn }. */
export async function sendPMAHandshake(client, pmaId, catalog = "Sandbox") {
  const out = await client.send(new CreateChannelHandshakeCommand({ handshakeType: "PROGRAM_MANAGEMENT_ACCOUNT", catalog, associatedResourceIdentifier: pmaId }));
  return out.channelHandshakeDetail;
}

/** The AWS side answers or expires a handshake as its receiver (POST /_cosell/aws/channel/handshakes/...). */
export async function awsSide(cosell, action, id, catalog = "Sandbox") {
  const res = await fetch(`${cosell.endpoint}/_cosell/aws/channel/handshakes/${catalog}/${id}/${action}`, {
    method: "POST",
    headers: { authorization: `Bearer ${cosell.adminToken}` },
  });
  return { status: res.status, json: await res.json() };
}

/** The account's SQS queue of events, as a connector reads it. */
export async function eventQueue(endpoint, who) {
  const sqs = new SQSClient({ endpoint, region, credentials: who.credentials, maxAttempts: 1 });
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "cosell-partnercentral-events" }));
  return { sqs, url: QueueUrl };
}

/** Receives (and deletes) messages until a Channel event of `detailType` about handshake `id` arrives. */
export async function receiveHandshakeEvent({ sqs, url }, detailType, id) {
  for (let i = 0; i < 20; i++) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const m of Messages) {
      const event = JSON.parse(m.Body);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
      if (event["detail-type"] === detailType && event.detail?.id === id) return event;
    }
  }
  throw new Error(`no ${detailType} event about ${id} arrived`);
}
