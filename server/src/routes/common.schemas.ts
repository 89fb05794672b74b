// Moved to the API contract (server/src/contract/common.ts). This re-export remains only for the flags
// and edits routes, which move to the contract in their own change; remove it once they have.
export * from '../contract/common.js'
