export { DeploymentError } from './errors';
export { deployedFunctionName, evaluateIntrinsics, normalizedFunctionName } from './intrinsics';
export { loadService, REPOSITORY_ROOT, type ResolvedService, type ServiceOptions } from './load-service';
export {
  type DeploymentModel,
  type EventSourceMapping,
  type FunctionFacts,
  loadDeployment,
  type PolicyDocument,
  type PolicyStatement,
} from './model';
