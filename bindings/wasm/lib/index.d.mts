// Types of the ES module entry: the declarations of index.d.cts, with init as the default export.
import { init } from './index.cjs';

export * from './index.cjs';
export default init;
