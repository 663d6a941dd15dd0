import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import kubernetesPlugin from '@backstage/plugin-kubernetes/alpha';
import capaPlugin from '@capa-backstage/plugin-capa/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { signInModule } from './modules/signIn';

export default createApp({
  features: [
    catalogPlugin,
    capaPlugin,
    // The Kubernetes tab of components annotated backstage.io/kubernetes-id (or a label selector)
    kubernetesPlugin,
    navModule,
    homeModule,
    signInModule,
  ],
});
