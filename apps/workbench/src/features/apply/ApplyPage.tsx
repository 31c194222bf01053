import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { afterMyWrites, api, ApiError, sawPosition, unwrap } from '../../lib/api/client';
import { label, problemText } from '../../lib/labels';
import { PROGRAMS, type Program } from '../../lib/programs';
import { useSessionPerson } from '../auth/person';
import { claimsFor, KIND, MONEY, PLATFORM_SERVICES, usccLines, usccProblem, valuesFrom, type ClaimValues } from './claims';
import { QuotaPanel } from './QuotaPanel';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const moneyRule = { pattern: MONEY, message: '金额以元为单位，最多两位小数' };

type Values = ClaimValues & { program: Program; year: number };

/**
 * 申报: one form per program that checks what the API checks before sending (USCC check digit, yuan with
 * at most two decimals, each program's required claims). With `?resubmit=<id>` it corrects a returned case
 * and sends 重新提交 instead.
 */
export function ApplyPage() {
  const person = useSessionPerson();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [params] = useSearchParams();
  const resubmitId = params.get('resubmit');
  const [form] = Form.useForm<Values>();
  const program = Form.useWatch('program', form) as Program | undefined;
  const year = Form.useWatch('year', form) as number | undefined;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState<number | null>(null);

  useEffect(() => {
    if (!resubmitId) return;
    void api
      .GET('/api/v1/applications/{id}', { params: { path: { id: resubmitId }, header: { 'accept-language': 'zh-CN' }, query: afterMyWrites() } })
      .then((r) => {
        try {
          const c = unwrap(r);
          setVersion(c.version);
          form.setFieldsValue({
            program: c.program as Program,
            year: c.year,
            manufacturing: c.beneficiary.manufacturing === true,
            ...valuesFrom(c.claims as Record<string, unknown>),
          });
        } catch (e) {
          setError(e instanceof ApiError ? problemText(e.problem) : String(e));
        }
      });
  }, [resubmitId, form]);

  async function onFinish(v: Values): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const claims = claimsFor(v.program, v);
      if (resubmitId) {
        sawPosition(
          unwrap(
            await api.POST('/api/v1/applications/{id}/resubmission', {
              params: { path: { id: resubmitId }, header: { 'If-Match': String(version ?? '') } },
              body: { claims },
            }),
          ),
        );
      } else {
        const beneficiary = {
          uscc: person.uscc ?? '',
          kind: KIND[v.program],
          ...(v.program === 'P2a' || v.program === 'P2b' ? { manufacturing: v.manufacturing === true } : {}),
        };
        sawPosition(unwrap(await api.POST('/api/v1/applications', { body: { program: v.program, year: v.year, beneficiary, claims } as never })));
      }
      await client.invalidateQueries({ queryKey: ['my-applications'] });
      await navigate('/my-applications');
    } catch (e) {
      setError(e instanceof ApiError ? problemText(e.problem) : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {resubmitId ? '重新提交' : '申报'}
        </Typography.Title>
      }
    >
      {person.uscc && usccProblem(person.uscc) && <Alert type="warning" title={`账号的统一社会信用代码有误：${usccProblem(person.uscc)}`} />}
      {error && <Alert type="error" role="alert" title={error} style={{ marginBottom: 16 }} />}
      {person.uscc && <QuotaPanel uscc={person.uscc} year={year} />}
      <Form
        form={form}
        layout="vertical"
        style={{ maxWidth: 640 }}
        onFinish={onFinish}
        initialValues={{ year: new Date().getFullYear() - 1, platformFees: [{}] }}
      >
        <Form.Item label="申报项目" name="program" rules={[{ required: true, message: '请选择申报项目' }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            disabled={!!resubmitId}
            options={PROGRAMS.map((p) => ({ value: p, label: `${p} ${label('program', p)}` }))}
          />
        </Form.Item>
        <Form.Item label="申报年度" name="year" rules={[{ required: true, message: '请填写申报年度' }]}>
          <InputNumber disabled={!!resubmitId} min={2019} max={2100} />
        </Form.Item>
        <Form.Item label="统一社会信用代码">
          <Input value={person.uscc ?? ''} disabled />
        </Form.Item>
        {program === 'P1' && (
          <>
            <Form.Item label="是否享受市级外贸政策奖励" name="otherMunicipalTradeAward" valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item label="放弃市级外贸政策奖励" name="waivesOtherMunicipalAward" valuePropName="checked">
              <Switch />
            </Form.Item>
          </>
        )}
        {(program === 'P2a' || program === 'P2b') && (
          <Form.Item label="生产型企业" name="manufacturing" valuePropName="checked">
            <Switch disabled={!!resubmitId} />
          </Form.Item>
        )}
        {program === 'P2a' && (
          <>
            <Form.Item label="在第三方平台开展推广运营" name="promotesOnThirdPartyPlatform" valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.List
              name="platformFees"
              rules={[{ validator: async (_r, fees?: unknown[]) => void (!fees?.length && Promise.reject(new Error('至少填写一笔平台费用'))) }]}
            >
              {(fields, { add, remove }, { errors }) => (
                <>
                  {fields.map((f, i) => (
                    <Space key={f.key} align="baseline">
                      <Form.Item
                        label={`平台服务费（元）第${i + 1}笔`}
                        name={[f.name, 'amount']}
                        rules={[{ required: true, message: '请填写金额' }, moneyRule]}
                      >
                        <Input inputMode="decimal" />
                      </Form.Item>
                      <Form.Item label={`发票号 第${i + 1}笔`} name={[f.name, 'invoiceRef']}>
                        <Input />
                      </Form.Item>
                      <Button onClick={() => remove(f.name)}>删除</Button>
                    </Space>
                  ))}
                  <Button onClick={() => add({})}>添加费用</Button>
                  <Form.ErrorList errors={errors} />
                </>
              )}
            </Form.List>
          </>
        )}
        {program === 'P3a' && (
          <>
            <Form.Item label="软硬件投资额（元）" name="investmentCny" rules={[{ required: true, message: '请填写投资额' }, moneyRule]}>
              <Input inputMode="decimal" />
            </Form.Item>
            <Form.Item
              label="运营起始日期"
              name="operatingSince"
              rules={[
                { required: true, message: '请填写日期' },
                { pattern: DATE, message: '日期格式为 YYYY-MM-DD' },
              ]}
            >
              <Input placeholder="2018-01-01" />
            </Form.Item>
            <Form.Item label="服务企业统一社会信用代码（每行一个）" name="servedEnterprises" rules={[{ validator: listCheck }]}>
              <Input.TextArea rows={4} />
            </Form.Item>
            {PLATFORM_SERVICES.map(({ service: code, zh }) => (
              <Form.Item
                key={code}
                label={`${zh}服务证明材料`}
                name={['serviceEvidence', code]}
                extra={code === 'customs-clearance' ? '每项服务填写证明材料（合同、协议编号）；未填写的视为未提供该服务' : undefined}
              >
                <Input placeholder="合同或协议编号" />
              </Form.Item>
            ))}
          </>
        )}
        {program === 'P3b' && (
          <Form.Item label="招引企业统一社会信用代码（每行一个）" name="recruits" rules={[{ validator: listCheck }]}>
            <Input.TextArea rows={4} />
          </Form.Item>
        )}
        {program === 'P4' && (
          <>
            <Form.Item label="省级认定文号" name="documentNo" rules={[{ required: true, whitespace: true, message: '请填写文号' }]}>
              <Input />
            </Form.Item>
            <Form.Item
              label="认定日期"
              name="recognitionDate"
              rules={[
                { required: true, message: '请填写日期' },
                { pattern: DATE, message: '日期格式为 YYYY-MM-DD' },
              ]}
            >
              <Input placeholder="2019-06-30" />
            </Form.Item>
          </>
        )}
        <Form.Item style={{ marginTop: 16 }}>
          <Button type="primary" htmlType="submit" loading={busy}>
            {resubmitId ? '重新提交' : '提交申报'}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

async function listCheck(_r: unknown, v?: string): Promise<void> {
  for (const [i, u] of usccLines(v).entries()) {
    const problem = usccProblem(u);
    if (problem) throw new Error(`第${i + 1}行：${problem}`);
  }
}
