import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiConsumes, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CommandContext } from '@cbec/platform';
import { ApiCommand } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { CSV_MEDIA_TYPE, UnsupportedMediaType } from '../import-customs-stats/customs-file';
import { ImportBeneficiaryRegisterCommand } from './import-beneficiary-register.command';
import { ImportBeneficiaryRegisterAnswer } from './import-beneficiary-register.handler';
import { MAX_REGISTER_ROWS, REGISTER_CSV_HEADER } from './register-rows';

class ImportBeneficiaryRegisterAnswerDto implements ImportBeneficiaryRegisterAnswer {
  @ApiProperty({ description: "the file's SHA-256: the same file again records nothing new", example: '9f86d0…' })
  batchId!: string;
  @ApiProperty({ description: 'rows in the file', example: 2 })
  rows!: number;
  @ApiProperty({ description: 'rows that recorded a new registration', example: 2 })
  recorded!: number;
  @ApiProperty({ description: 'rows whose registry extract the register already holds, with the same data', example: 0 })
  unchanged!: number;
  @ApiProperty({ description: 'global log position of the last event stored (read models catch up to it)', example: 57 })
  position!: number;
}

@ApiTags('beneficiary-register')
@Controller('beneficiary-register')
export class ImportBeneficiaryRegisterController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiConsumes(CSV_MEDIA_TYPE)
  @ApiBody({
    schema: {
      type: 'string',
      format: 'binary',
      example: `${REGISTER_CSV_HEADER.join(',')}\n91341500MA2016013B,341502,2017-08-15,六市监登〔2017〕458号,六安市市场监督管理局登记档案\n`,
      description: 'CSV, UTF-8 (BOM allowed), English or Chinese headers (统一社会信用代码,行政区划代码,登记日期,文号,来源): docs/imports.md',
    },
  })
  @ApiCommand('Import the beneficiary register (COM): where each USCC is registered, from which registry extract; any bad row -> 422, nothing stored', {
    callers: 'a COM officer or head',
    answer: ImportBeneficiaryRegisterAnswerDto,
    description: `Every program of 四 requires the beneficiary registered in Lu'an in the award year; the entry in force on 31 December of that year decides, over the USCC's division digits. At most ${MAX_REGISTER_ROWS} rows. The same extract again with the same data records nothing; with other data it is a bad row.`,
    refuses: { 415: 'not text/csv', 422: 'bad rows (`invalid-register-rows`, every bad row named in `errors`); nothing stored' },
  })
  import(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @CommandCtx() ctx: CommandContext,
  ): Promise<ImportBeneficiaryRegisterAnswer> {
    if (!contentType?.toLowerCase().startsWith(CSV_MEDIA_TYPE) || !Buffer.isBuffer(body)) {
      throw new UnsupportedMediaType(`send the register as Content-Type: ${CSV_MEDIA_TYPE}; charset=utf-8 (got ${contentType ?? 'none'})`);
    }
    return this.commands.execute(new ImportBeneficiaryRegisterCommand(body, ctx));
  }
}
