import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';
import { AMOUNT_LIMITS, isProgramId, Money, PLATFORM_SERVICE_ZH, PLATFORM_SERVICES, PROGRAM_IDS, PROGRAM_NAMES } from '@cbec/domain';
import { MAX_LIST_ITEMS, MAX_PROGRAM_LENGTH, MAX_REF_LENGTH, MAX_STATED_CUSTOMS, namingLimit, IsMoneyString, IsUscc, moneySchema } from '@cbec/platform';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function IsProgram(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isProgram',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (v: unknown) => isProgramId(v) || Object.values(PROGRAM_NAMES).includes(v as string),
        defaultMessage: (a: ValidationArguments) =>
          typeof a.value === 'string' && a.value.length > MAX_PROGRAM_LENGTH
            ? `${a.property} must be one of ${PROGRAM_IDS.join(', ')} or their long names, at most ${MAX_PROGRAM_LENGTH} characters long`
            : `${a.property} must be one of ${PROGRAM_IDS.join(', ')} or ${Object.values(PROGRAM_NAMES).join(', ')}; got ${JSON.stringify(a.value)}`,
      },
    });
}

/**
 * A platform fee: a money string, or `{amountCny, invoiceRef}` (P2a: fees are claimed with invoice
 * references). A list longer than MAX_LIST_ITEMS is refused by its ArrayMaxSize alone, unread.
 */
function IsFeeList(): PropertyDecorator {
  const problem = (value: unknown, property: string): string | null => {
    if (!Array.isArray(value)) return `${property} must be an array of fees`;
    if (value.length > MAX_LIST_ITEMS) return null;
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as unknown;
      const path = `${property}[${i}]`;
      try {
        if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
          const { amountCny, invoiceRef, ...rest } = item as Record<string, unknown>;
          const unknownKeys = Object.keys(rest);
          if (unknownKeys.length) return `${path}.${unknownKeys[0]} is not a known field (amountCny, invoiceRef)`;
          Money.parse(amountCny, 'CNY', `${path}.amountCny`);
          if (invoiceRef !== undefined && (typeof invoiceRef !== 'string' || invoiceRef.trim() === '')) {
            return `${path}.invoiceRef must be a non-empty string`;
          }
          if (invoiceRef !== undefined && invoiceRef.length > MAX_REF_LENGTH) {
            return `${path}.invoiceRef must be at most ${MAX_REF_LENGTH} characters long`;
          }
        } else {
          Money.parse(item, 'CNY', path);
        }
      } catch (e) {
        return (e as Error).message;
      }
    }
    return null;
  };
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isFeeList',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (v: unknown, a: ValidationArguments) => problem(v, a.property) === null,
        defaultMessage: (a: ValidationArguments) => problem(a.value, a.property) ?? '',
      },
    });
}

export class BeneficiaryRequest {
  @ApiProperty({ example: '91341500MA2010017C', description: 'USCC with a valid check character' })
  @IsUscc()
  uscc!: string;

  @ApiProperty({ enum: ['enterprise', 'platform', 'park'] })
  @IsIn(['enterprise', 'platform', 'park'])
  kind!: 'enterprise' | 'platform' | 'park';

  @ApiPropertyOptional({ description: 'P2a: a manufacturing enterprise (制造业企业)' })
  @IsOptional()
  @IsBoolean()
  manufacturing?: boolean;

  @ApiPropertyOptional({ description: "the enterprise's registered name", maxLength: MAX_REF_LENGTH })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REF_LENGTH, namingLimit(MAX_REF_LENGTH))
  name?: string;
}

export class ProvincialRecognitionRequest {
  @ApiProperty({ maxLength: MAX_REF_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REF_LENGTH, namingLimit(MAX_REF_LENGTH))
  documentNo!: string;

  @ApiProperty({ example: '2019-06-30' }) @Matches(ISO_DATE, { message: 'date must be YYYY-MM-DD' }) date!: string;
}

/** P3a: a comprehensive service (通关、物流、融资、退税、结汇) the platform provides, with its evidence. */
export class DeclaredServiceRequest {
  @ApiProperty({ enum: [...PLATFORM_SERVICES, ...PLATFORM_SERVICES.map((s) => PLATFORM_SERVICE_ZH[s])], example: 'customs-clearance' })
  @IsIn([...PLATFORM_SERVICES, ...PLATFORM_SERVICES.map((s) => PLATFORM_SERVICE_ZH[s])])
  service!: string;

  @ApiPropertyOptional({ description: 'the evidence (contract, agreement number); a service without it does not count', maxLength: MAX_REF_LENGTH })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REF_LENGTH, namingLimit(MAX_REF_LENGTH))
  evidence?: string;
}

/** P3a 正常运营: a time the platform did not operate. */
export class SuspensionRequest {
  @ApiProperty({ example: '2019-03-01' }) @Matches(ISO_DATE, { message: 'from must be YYYY-MM-DD' }) from!: string;
  @ApiPropertyOptional({ example: '2019-05-31', description: 'absent: still suspended' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'to must be YYYY-MM-DD' })
  to?: string;
  @ApiPropertyOptional({ maxLength: MAX_REF_LENGTH }) @IsOptional() @IsString() @MaxLength(MAX_REF_LENGTH, namingLimit(MAX_REF_LENGTH)) note?: string;
}

const STATED_USD = moneySchema(AMOUNT_LIMITS.customsFigureUsd, 'USD as the applicant states it');

/** A figure the applicant states; the decision uses the imported customs statistics, the case shows both. */
export class StatedCustomsRequest {
  @ApiProperty() @IsInt() year!: number;
  @ApiPropertyOptional() @IsOptional() @IsUscc() uscc?: string;
  @ApiPropertyOptional(STATED_USD) @IsOptional() @IsMoneyString() export9610Usd?: string;
  @ApiPropertyOptional(STATED_USD) @IsOptional() @IsMoneyString() cbecImportUsd?: string;
  @ApiPropertyOptional(STATED_USD) @IsOptional() @IsMoneyString() cbecExportUsd?: string;
  @ApiPropertyOptional(STATED_USD) @IsOptional() @IsMoneyString() totalExportUsd?: string;
  @ApiPropertyOptional(STATED_USD) @IsOptional() @IsMoneyString() platformLocalOnlineTradeUsd?: string;
}

/** docs/api.md's `claims`: only the fields the program needs are required (checked per program on submission). */
export class ClaimsRequest {
  @ApiPropertyOptional({ description: 'P2a' }) @IsOptional() @IsBoolean() promotesOnThirdPartyPlatform?: boolean;

  @ApiPropertyOptional({ description: "P2a, the manufacturer's route: 利用第三方跨境电子商务平台 (promoting on one counts as using one)" })
  @IsOptional()
  @IsBoolean()
  usesThirdPartyPlatform?: boolean;

  @ApiPropertyOptional({
    description: 'P3a: the services declared, each with its evidence (p3a.requiredServices says which are required)',
    type: [DeclaredServiceRequest],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LIST_ITEMS, namingLimit(MAX_LIST_ITEMS))
  @ValidateNested({ each: true })
  @Type(() => DeclaredServiceRequest)
  services?: DeclaredServiceRequest[];

  @ApiPropertyOptional({ description: 'P3a 正常运营: times the platform did not operate', type: [SuspensionRequest] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LIST_ITEMS, namingLimit(MAX_LIST_ITEMS))
  @ValidateNested({ each: true })
  @Type(() => SuspensionRequest)
  suspensions?: SuspensionRequest[];

  @ApiPropertyOptional({
    description: `P2a: fees paid for the year, each "120000.00" or {amountCny, invoiceRef}; the fees together at most ${AMOUNT_LIMITS.claimFeesTotalCny.max.toString()} CNY (above it: 422 amount-above-limit)`,
    type: 'array',
    maxItems: MAX_LIST_ITEMS,
    items: {
      oneOf: [
        moneySchema(AMOUNT_LIMITS.claimAmountCny, 'one fee, CNY', '120000.00'),
        {
          type: 'object',
          properties: {
            amountCny: moneySchema(AMOUNT_LIMITS.claimAmountCny, 'one fee, CNY', '120000.00'),
            invoiceRef: { type: 'string', maxLength: MAX_REF_LENGTH },
          },
        },
      ],
    },
  })
  @IsOptional()
  @ArrayMaxSize(MAX_LIST_ITEMS, namingLimit(MAX_LIST_ITEMS))
  @IsFeeList()
  platformFeesCny?: Array<string | { amountCny: string; invoiceRef?: string }>;

  @ApiPropertyOptional(moneySchema(AMOUNT_LIMITS.claimAmountCny, 'P3a: the platform investment, CNY', '600000.00'))
  @IsOptional()
  @IsMoneyString()
  investmentCny?: string;

  @ApiPropertyOptional({ description: 'P3a', example: '2018-03-01' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'operatingSince must be YYYY-MM-DD' })
  operatingSince?: string;

  @ApiPropertyOptional({ description: 'P3a', type: [String], maxItems: MAX_LIST_ITEMS })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LIST_ITEMS, namingLimit(MAX_LIST_ITEMS))
  @IsUscc({ each: true })
  servedEnterprises?: string[];

  @ApiPropertyOptional({ description: 'P3b', type: [String], maxItems: MAX_LIST_ITEMS })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LIST_ITEMS, namingLimit(MAX_LIST_ITEMS))
  @IsUscc({ each: true })
  recruits?: string[];

  @ApiPropertyOptional({ description: 'P1' }) @IsOptional() @IsBoolean() otherMunicipalTradeAward?: boolean;
  @ApiPropertyOptional({ description: 'P1' }) @IsOptional() @IsBoolean() waivesOtherMunicipalAward?: boolean;

  @ApiPropertyOptional({ description: 'P4', type: ProvincialRecognitionRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProvincialRecognitionRequest)
  provincialRecognition?: ProvincialRecognitionRequest;

  @ApiPropertyOptional({ type: [StatedCustomsRequest], maxItems: MAX_STATED_CUSTOMS })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_STATED_CUSTOMS, namingLimit(MAX_STATED_CUSTOMS))
  @ValidateNested({ each: true })
  @Type(() => StatedCustomsRequest)
  statedCustoms?: StatedCustomsRequest[];
}

export class SubmitApplicationRequest {
  @ApiProperty({
    example: 'P2a',
    description: `${PROGRAM_IDS.join(', ')} (or the long names)`,
    enum: [...PROGRAM_IDS, ...Object.values(PROGRAM_NAMES)],
    maxLength: MAX_PROGRAM_LENGTH,
  })
  @IsProgram()
  program!: string;

  @ApiProperty({ example: 2019, description: 'the award year (applications for Y are made after Y ends)' })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @ApiProperty({ type: BeneficiaryRequest })
  @IsObject()
  @ValidateNested()
  @Type(() => BeneficiaryRequest)
  beneficiary!: BeneficiaryRequest;

  @ApiProperty({ type: ClaimsRequest })
  @IsObject()
  @ValidateNested()
  @Type(() => ClaimsRequest)
  claims!: ClaimsRequest;
}
