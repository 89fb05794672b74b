// Moved to the API contract (server/src/contract/cells.ts). This re-export remains only for the edits
// routes, which move to the contract in their own change; remove it once they have.
export { CellCodeParams } from '../../contract/cells.js'
