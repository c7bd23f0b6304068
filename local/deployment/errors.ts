import { PinlakeError } from '../../libs/errors';

/** Raised when the deployment definition cannot be read or names something this stack cannot model. */
export class DeploymentError extends PinlakeError {
  override readonly name: string = 'DeploymentError';
  override readonly code: string = 'DEPLOYMENT';
}
