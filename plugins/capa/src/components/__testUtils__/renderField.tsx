import {
  renderInTestApp,
  TestApiProvider,
  type TestAppRenderResult,
} from '@backstage/frontend-test-utils';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { ComponentType, useState } from 'react';
import { capaApiRef, type CapaApi } from '../../api';

/**
 * Renders a scaffolder field as the scaffolder's form does: the field keeps the value it reports
 * through onChange (a jest mock, to read what it reported). Only the props the CAPA fields read
 * are filled in.
 */
export function renderField<TValue, TUiOptions>(
  Field: ComponentType<FieldExtensionComponentProps<TValue, TUiOptions>>,
  options: {
    api: CapaApi;
    formData?: TValue;
    schema?: Record<string, unknown>;
    uiSchema?: Record<string, unknown>;
    required?: boolean;
    rawErrors?: string[];
  },
): TestAppRenderResult & { onChange: jest.Mock } {
  const onChange = jest.fn();
  function Form() {
    const [formData, setFormData] = useState(options.formData);
    const props = {
      formData,
      onChange: (value: TValue | undefined) => {
        onChange(value);
        setFormData(value);
      },
      onBlur: jest.fn(),
      onFocus: jest.fn(),
      schema: options.schema ?? {},
      uiSchema: options.uiSchema ?? {},
      idSchema: { $id: 'root_field' },
      rawErrors: options.rawErrors ?? [],
      required: options.required ?? true,
      disabled: false,
      readonly: false,
      name: 'field',
      registry: {},
    } as unknown as FieldExtensionComponentProps<TValue, TUiOptions>;
    return <Field {...props} />;
  }
  const rendered = renderInTestApp(
    <TestApiProvider apis={[[capaApiRef, options.api]]}>
      <Form />
    </TestApiProvider>,
  );
  return { ...rendered, onChange };
}
