/** Raised when the deployment definition cannot be read or names something this stack cannot model. */
export class DeploymentError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeploymentError';
  }
}
