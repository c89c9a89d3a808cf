import { expect } from 'chai';
import { parseDicom, type DataSet } from 'dicom-parser';
import { hashPixels } from '@veriscan/protocol';
import {
  DEIDENTIFICATION_METHOD,
  ImagingError,
  ImagingErrorCode,
  decodeScan,
  deidentifyDicom,
  inspectScan,
} from '../../../imaging/src/index.js';
import {
  Syntax,
  readDicom,
  scanBytes,
  scanFixture,
  transcodeDicom,
  withElement,
  withMetaTransferSyntax,
  writeDicom,
} from './support.js';

const FAKE = scanFixture('mr-axial-z057-fake-patient.dcm');
const FAKE_VALUES = FAKE.fakeValues ?? [];

/** Deterministic UUIDs, so that the byte searches below cannot be upset by a random UID's digits. */
function counterUuids(): () => string {
  let n = 0;
  return () => {
    n += 1;
    return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  };
}

function deidentifyError(run: () => unknown): ImagingError {
  try {
    run();
  } catch (error) {
    if (error instanceof ImagingError) return error;
    throw error;
  }
  throw new Error('de-identification accepted the file');
}

/** Every element tag of a data set, sequence items included, as dicom-parser names them (`x0010 0010`). */
function allTags(dataSet: DataSet): string[] {
  const tags: string[] = [];
  for (const [tag, element] of Object.entries(dataSet.elements)) {
    tags.push(tag);
    for (const item of element.items ?? [])
      if (item.dataSet !== undefined) tags.push(...allTags(item.dataSet));
  }
  return tags;
}

function item(dataSet: DataSet, sequence: string): DataSet {
  const found = dataSet.elements[sequence]?.items?.[0]?.dataSet;
  if (found === undefined) throw new Error(`no item in ${sequence}`);
  return found;
}

/** The UIDs the fake-patient file identifies itself and its neighbours with. */
function identifyingUids(bytes: Uint8Array): Record<string, string> {
  const dataSet = parseDicom(bytes);
  const read = (set: DataSet, tag: string): string => {
    const value = set.string(tag);
    if (value === undefined || value === '') throw new Error(`no ${tag}`);
    return value;
  };
  const series = item(dataSet, 'x00081115');
  return {
    study: read(dataSet, 'x0020000d'),
    series: read(dataSet, 'x0020000e'),
    sop: read(dataSet, 'x00080018'),
    frame: read(dataSet, 'x00200052'),
    mediaStorageSop: read(dataSet, 'x00020003'),
    nestedSeries: read(series, 'x0020000e'),
    neighbourSop: read(item(series, 'x0008114a'), 'x00081155'),
  };
}

const BLANKED = [
  'x00100010', // PatientName
  'x00100020', // PatientID
  'x00100030', // PatientBirthDate
  'x00100040', // PatientSex
  'x00080050', // AccessionNumber
  'x00080020', // StudyDate
  'x00080030', // StudyTime
  'x00080023', // ContentDate
  'x00080033', // ContentTime
  'x00080090', // ReferringPhysicianName
  'x00200010', // StudyID
];

const REMOVED = [
  'x00080012', // InstanceCreationDate
  'x00080013', // InstanceCreationTime
  'x00080021', // SeriesDate
  'x00080022', // AcquisitionDate
  'x00080031', // SeriesTime
  'x00080032', // AcquisitionTime
  'x00080080', // InstitutionName
  'x00080081', // InstitutionAddress
  'x00081010', // StationName
  'x00081030', // StudyDescription
  'x0008103e', // SeriesDescription
  'x00081040', // InstitutionalDepartmentName
  'x00081050', // PerformingPhysicianName
  'x00081070', // OperatorsName
  'x00100021', // IssuerOfPatientID
  'x00101000', // OtherPatientIDs
  'x00101001', // OtherPatientNames
  'x00101010', // PatientAge
  'x00101020', // PatientSize
  'x00101030', // PatientWeight
  'x00101040', // PatientAddress
  'x00102154', // PatientTelephoneNumbers
  'x00104000', // PatientComments
  'x00181000', // DeviceSerialNumber
  'x00181030', // ProtocolName
  'x00204000', // ImageComments
  'x00400555', // AcquisitionContextSequence
];

const UID_PATTERN = /^2\.25\.(0|[1-9][0-9]{0,38})$/;

describe('imaging: deidentifyDicom', () => {
  const source = scanBytes(FAKE.name);

  it('has fake values to look for', () => {
    expect(FAKE_VALUES).to.include.members([
      'DOE^JANE^FAKE',
      'FAKE-123456',
      '19700101',
      'Fake General Hospital',
    ]);
  });

  for (const [syntaxName, syntax] of Object.entries(Syntax)) {
    describe(`${syntaxName} VR input`, () => {
      const input = syntax === Syntax.explicitLittle ? source : transcodeDicom(source, syntax);
      const original = identifyingUids(input);
      const result = deidentifyDicom(input, { randomUUID: counterUuids() });
      const output = Buffer.from(result.file);
      const parsed = parseDicom(result.file);

      it('leaves none of the fake values anywhere in the bytes', () => {
        for (const value of FAKE_VALUES) {
          expect(output.indexOf(Buffer.from(value, 'latin1')), value).to.equal(-1);
        }
      });

      it('leaves none of the original UIDs anywhere in the bytes', () => {
        for (const [what, uid] of Object.entries(original)) {
          expect(output.indexOf(Buffer.from(uid, 'latin1')), what).to.equal(-1);
        }
      });

      it('drops every private attribute, at every level', () => {
        const privateTags = allTags(parsed).filter((tag) => Number.parseInt(tag.slice(1, 5), 16) % 2 === 1);
        expect(privateTags).to.deep.equal([]);
        expect(output.indexOf(Buffer.from('FAKE VENDOR', 'latin1'))).to.equal(-1);
      });

      it('blanks the type 2 patient and study attributes and removes the others', () => {
        for (const tag of BLANKED) {
          expect(parsed.elements[tag], tag).not.to.equal(undefined);
          expect(parsed.elements[tag]?.length, tag).to.equal(0);
        }
        for (const tag of REMOVED) expect(parsed.elements[tag], tag).to.equal(undefined);
      });

      it('replaces the study, series, instance and frame of reference UIDs consistently', () => {
        const replaced = identifyingUids(result.file);
        for (const [what, uid] of Object.entries(replaced)) {
          expect(uid, what).to.match(UID_PATTERN);
          expect(uid, what).not.to.equal(original[what]);
        }
        expect(replaced.mediaStorageSop).to.equal(replaced.sop);
        expect(replaced.nestedSeries).to.equal(replaced.series);
        const byOriginal = new Map(result.uidReplacements.map((r) => [r.original, r]));
        expect(byOriginal.get(original.study ?? '')).to.deep.include({
          tag: '(0020,000D)',
          replacement: replaced.study,
        });
        expect(byOriginal.get(original.series ?? '')?.replacement).to.equal(replaced.series);
        expect(byOriginal.get(original.sop ?? '')?.replacement).to.equal(replaced.sop);
        expect(byOriginal.get(original.frame ?? '')?.replacement).to.equal(replaced.frame);
        expect(byOriginal.get(original.neighbourSop ?? '')).to.deep.include({
          tag: '(0008,1155)',
          replacement: replaced.neighbourSop,
        });
      });

      it('keeps the SOP class and the transfer syntax', () => {
        const before = parseDicom(input);
        expect(parsed.string('x00080016')).to.equal(before.string('x00080016'));
        expect(parsed.string('x00020002')).to.equal(before.string('x00020002'));
        expect(inspectScan(result.file).transferSyntax).to.equal(syntax);
      });

      it('marks the file de-identified by the Basic Profile', () => {
        expect(parsed.string('x00120062')).to.equal('YES');
        expect(parsed.string('x00120063')).to.equal(DEIDENTIFICATION_METHOD);
        expect(item(parsed, 'x00120064').string('x00080100')).to.equal('113100');
        expect(parsed.string('x00280303')).to.equal('REMOVED');
        expect(parsed.string('x00020012')).to.match(UID_PATTERN);
      });

      it('decodes to exactly the canonical pixels of the input', async () => {
        const before = await decodeScan(input);
        const after = await decodeScan(result.file, 'application/dicom');
        expect(Buffer.from(after.data.buffer).equals(Buffer.from(before.data.buffer))).to.equal(true);
        expect(hashPixels(after)).to.equal(FAKE.pixelsHash);
      });
    });
  }

  it('keeps UIDs consistent across the files of a series through uidMap', () => {
    const uidMap = new Map<string, string>();
    const first = identifyingUids(deidentifyDicom(source, { uidMap }).file);
    const second = identifyingUids(
      deidentifyDicom(transcodeDicom(source, Syntax.implicitLittle), { uidMap }).file,
    );
    expect(second).to.deep.equal(first);
    expect(uidMap.size).to.equal(5); // study, series, SOP instance, frame of reference, neighbour
    const unrelated = identifyingUids(deidentifyDicom(source).file);
    expect(unrelated.study).not.to.equal(first.study);
  });

  it('draws fresh 2.25 UIDs from node:crypto by default', () => {
    const a = identifyingUids(deidentifyDicom(source).file);
    const b = identifyingUids(deidentifyDicom(source).file);
    expect(a.sop).to.match(UID_PATTERN);
    expect(a.sop).not.to.equal(b.sop);
    expect(new Set(Object.values(a)).size).to.equal(5); // media storage = sop, nested series = series
  });

  it('refuses a file whose BurnedInAnnotation is YES, quoting nothing of the patient', () => {
    const burned = withElement(source, '00280301', { vr: 'CS', Value: ['YES'] });
    const error = deidentifyError(() => deidentifyDicom(burned));
    expect(error.code).to.equal(ImagingErrorCode.BURNED_IN_ANNOTATION);
    for (const value of FAKE_VALUES) expect(error.message).not.to.contain(value);
  });

  it('refuses compressed DICOM and anything that is not DICOM', () => {
    const jpegLossless = withMetaTransferSyntax(source, '1.2.840.10008.1.2.4.70');
    expect(deidentifyError(() => deidentifyDicom(jpegLossless)).code).to.equal(
      ImagingErrorCode.UNSUPPORTED_TRANSFER_SYNTAX,
    );
    expect(deidentifyError(() => deidentifyDicom(scanBytes('brain-axial-z102-8bit.png'))).code).to.equal(
      ImagingErrorCode.INVALID_SCAN,
    );
    expect(deidentifyError(() => deidentifyDicom(source.subarray(0, 2000))).code).to.equal(
      ImagingErrorCode.INVALID_SCAN,
    );
  });

  it('keeps only the version, SOP, syntax and implementation attributes of the file meta', () => {
    const file = readDicom(source);
    file.meta['00020016'] = { vr: 'AE', Value: ['FAKE_HOSP_AE'] }; // SourceApplicationEntityTitle
    file.meta['00020100'] = { vr: 'UI', Value: ['1.2.3.999'] }; // PrivateInformationCreatorUID
    const output = deidentifyDicom(writeDicom(file)).file;
    const meta = Object.keys(parseDicom(output).elements).filter((tag) => tag.startsWith('x0002'));
    expect(meta).to.have.members([
      'x00020000',
      'x00020001',
      'x00020002',
      'x00020003',
      'x00020010',
      'x00020012',
      'x00020013',
    ]);
    expect(Buffer.from(output).indexOf(Buffer.from('FAKE_HOSP_AE', 'latin1'))).to.equal(-1);
  });

  for (const name of [
    'mr-axial-z057-explicit.dcm',
    'mr-axial-z102-implicit-signed.dcm',
    'mr-axial-z057-big-endian.dcm',
  ]) {
    it(`de-identifies ${name} (make_fixtures.py's fake patient) with its pixels unchanged`, async () => {
      const input = scanBytes(name);
      const output = Buffer.from(deidentifyDicom(input).file);
      for (const secret of [
        'Testperson',
        'Sample^Carlos',
        'FAKE-00',
        'FAKE-MRN',
        'Example Street',
        'Veriscan Test Hospital',
        'FAKEACC',
      ]) {
        expect(output.indexOf(Buffer.from(secret, 'latin1')), secret).to.equal(-1);
      }
      expect(hashPixels(await decodeScan(output))).to.equal(scanFixture(name).pixelsHash);
    });
  }
});
