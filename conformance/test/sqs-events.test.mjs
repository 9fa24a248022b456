// cosell's SQS queue of an account's events, driven with the official JS SQS
// client as a connector behind an EventBridge rule would read it: long
// polls, the EventBridge envelope as the body (the client checks its MD5),
// visibility timeouts, deletes. AWS has no such queue of its own (a partner
// makes one behind a rule), so against a real endpoint every test is skipped.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  SQSClient,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  DeleteMessageCommand,
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import { useCosell } from "../lib/suite.mjs";
import { skipWithoutClock } from "../lib/admin.mjs";
import { accountA, accountB } from "../lib/clients.mjs";
import { createOpportunity } from "../lib/opportunities.mjs";

const cosell = useCosell();

function sqs(who = accountA) {
  return new SQSClient({ endpoint: cosell.endpoint, region: "us-east-1", credentials: who.credentials, maxAttempts: 1 });
}

async function queueUrl(client) {
  const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: "cosell-partnercentral-events" }));
  return QueueUrl;
}

/** Receives until a message about opportunity id arrives; the others stay in flight for a minute. */
async function receiveAbout(client, url, id) {
  for (let i = 0; i < 20; i++) {
    const { Messages = [] } = await client.send(new ReceiveMessageCommand({
      QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60, MessageSystemAttributeNames: ["All"],
    }));
    const found = Messages.find((m) => JSON.parse(m.Body).detail?.opportunity?.identifier === id);
    if (found) return found;
  }
  throw new Error(`no event about ${id} arrived`);
}

test("an opportunity's event arrives on the account's queue as EventBridge delivers it, and leaves once deleted", async (t) => {
  if (skipWithoutClock(t)) return;
  const client = sqs();
  const url = await queueUrl(client);
  assert.match(url, /\/111111111111\/cosell-partnercentral-events$/);
  const { id } = await createOpportunity(cosell.a, "Sandbox");
  const message = await receiveAbout(client, url, id);
  const event = JSON.parse(message.Body);
  assert.equal(event.source, "aws.partnercentral-selling");
  assert.equal(event["detail-type"], "Opportunity Created");
  assert.equal(event.account, accountA.accountId);
  assert.equal(message.MessageId, event.id);
  assert.equal(message.Attributes.ApproximateReceiveCount, "1");

  // Made visible again at once, it comes back with a second receive count.
  await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }));
  const again = await receiveAbout(client, url, id);
  assert.equal(again.MessageId, message.MessageId);
  assert.equal(again.Attributes.ApproximateReceiveCount, "2");
  await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.ReceiptHandle }));

  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }));
  assert.match(Attributes.QueueArn, /:111111111111:cosell-partnercentral-events$/);
  client.destroy();
});

test("another account's queue does not exist for the caller", async (t) => {
  if (skipWithoutClock(t)) return;
  const client = sqs(accountB);
  const mine = await queueUrl(client);
  const theirs = mine.replace(accountB.accountId, accountA.accountId);
  await assert.rejects(client.send(new ReceiveMessageCommand({ QueueUrl: theirs, MaxNumberOfMessages: 1 })), (err) => {
    assert.equal(err.name, "QueueDoesNotExist", `${err.name}: ${err.message}`);
    return true;
  });
  client.destroy();
});
