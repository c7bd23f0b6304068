export { DeploymentError } from './errors';
export { evaluateIntrinsics } from './intrinsics';
export { loadService } from './load-service';
export {
  type DeploymentModel,
  type EventSourceMapping,
  type FunctionFacts,
  loadDeployment,
  type PolicyDocument,
  type PolicyStatement,
} from './model';
