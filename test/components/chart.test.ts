import * as fs from 'fs';
import * as path from 'path';
import { courseObjects, defaultChart, defaultObjects, find, podCount } from '../helpers';

// Read at collection time for the test titles: the course's files, through the yaml package only.
const course = courseObjects();
const key = (o: any) => `${o.kind}/${o.metadata.name}`;
const ourObject = (o: any) => find(defaultObjects(), o.kind, o.metadata.name);

describe('MultiK8sChart', () => {
  test('holds every object of the course\'s k8s/ folder by kind and name, plus only objects of new kinds', () => {
    const ours = defaultObjects();
    expect(ours.map(key)).toEqual(expect.arrayContaining(course.map(key)));
    const courseKinds = new Set(course.map((o) => o.kind));
    const added = ours.filter((o) => !course.some((c) => key(c) === key(o)));
    expect(added.filter((o) => courseKinds.has(o.kind))).toEqual([]);
    expect([...new Set(added.map((o) => o.kind))].sort()).toEqual(['HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'ServiceAccount']);
  });

  test.each(course.filter((o) => o.kind === 'Deployment').map((o) => [key(o), o]))('%s keeps the course\'s immutable selector, replicas, container and ports', (_k, theirs) => {
    const ours = defaultObjects();
    const mine = find(ours, theirs.kind, theirs.metadata.name);
    expect(mine.spec.selector).toEqual(theirs.spec.selector);
    // The course's count, fixed or as the autoscaler's minimum.
    expect(podCount(ours, mine)).toBe(theirs.spec.replicas);
    const [c] = mine.spec.template.spec.containers;
    const [t] = theirs.spec.template.spec.containers;
    expect(c.name).toBe(t.name);
    expect((c.ports ?? []).map((p: any) => p.containerPort)).toEqual((t.ports ?? []).map((p: any) => p.containerPort));
    expect(c.image.split(':')[0]).toBe(t.image.split(':')[0]);
  });

  test.each(course.filter((o) => o.kind === 'Service').map((o) => [key(o), o]))('%s keeps the course\'s type, selector and ports', (_k, theirs) => {
    const mine = ourObject(theirs);
    expect(mine.spec.type).toBe(theirs.spec.type);
    expect(mine.spec.selector).toEqual(theirs.spec.selector);
    expect(mine.spec.ports.map((p: any) => [p.port, p.targetPort])).toEqual(theirs.spec.ports.map((p: any) => [p.port, p.targetPort]));
  });

  test('the claim keeps the course\'s immutable access modes, size and (absent) storage class', () => {
    const theirs = course.find((o) => o.kind === 'PersistentVolumeClaim')!;
    const mine = ourObject(theirs);
    expect(mine.spec.accessModes).toEqual(theirs.spec.accessModes);
    expect(mine.spec.resources).toEqual(theirs.spec.resources);
    expect(mine.spec.storageClassName).toBe(theirs.spec.storageClassName);
  });

  test('the Ingress keeps the course\'s class, annotations, paths and backends', () => {
    const theirs = course.find((o) => o.kind === 'Ingress')!;
    const mine = ourObject(theirs);
    expect(mine.spec.ingressClassName).toBe(theirs.spec.ingressClassName);
    expect(mine.metadata.annotations).toEqual(theirs.metadata.annotations);
    const sort = (paths: any[]) => [...paths].sort((a, b) => a.path.localeCompare(b.path));
    expect(sort(mine.spec.rules[0].http.paths)).toEqual(sort(theirs.spec.rules[0].http.paths));
  });

  test('every object is labelled as part of multi-k8s and managed by cdk8s', () => {
    for (const o of defaultObjects()) {
      expect(o.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'multi-k8s', 'app.kubernetes.io/managed-by': 'cdk8s' });
    }
  });

  test('every README deploy recipe creates each Secret the chart requires before it applies', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const recipes = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).filter((block) => block.includes('kubectl apply -f dist'));
    expect(recipes.length).toBeGreaterThanOrEqual(2);
    for (const recipe of recipes) {
      for (const { secret, key: secretKey } of defaultChart().requiredSecrets) {
        const create = recipe.indexOf(`kubectl create secret generic ${secret.name} --from-literal ${secretKey}=`);
        expect(create).toBeGreaterThanOrEqual(0);
        expect(create).toBeLessThan(recipe.indexOf('kubectl apply -f dist'));
      }
    }
  });

  test('snapshot of the whole output (the facts above are asserted one by one)', () => {
    expect(defaultObjects()).toMatchSnapshot();
  });
});
