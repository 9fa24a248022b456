// The operations of both services, read from the stripped Smithy models the
// repository commits (api/model), so sweeps cover exactly what cosell serves.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const modelDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "api", "model");

function operationNames(file) {
  const { shapes } = JSON.parse(readFileSync(resolve(modelDir, file), "utf8"));
  return Object.entries(shapes)
    .filter(([, shape]) => shape.type === "operation")
    .map(([id]) => id.split("#")[1])
    .sort();
}

export const sellingOperations = operationNames("partnercentral-selling-2022-07-26.json");
export const accountOperations = operationNames("partnercentral-account-2025-04-04.json");
export const channelOperations = operationNames("partnercentral-channel-2024-03-18.json");
export const benefitsOperations = operationNames("partnercentral-benefits-2018-05-10.json");
