import { z } from 'zod';
import { DateOnly, ZonedTime } from '../openapi/describe.js';

/** What reports answer with, described once for the OpenAPI document and the types the reports build. */
const Period = z.object({ from: DateOnly, to: DateOnly });
const Rate = z.number().nullable().describe('A share from 0 to 1; null with nothing to divide by');
const Method = z.string().describe('How the figure was computed, in a line a funder can read');
/** A count under 5 (and over 0) shown as "<5" wherever figures leave the practice. */
const Suppressed = z
  .union([z.number().int(), z.literal('<5'), z.literal('[c]')])
  .describe('1 to 4 as "<5"; "[c]" where the figure is hidden so that a "<5" beside it cannot be worked out by subtraction');
const OverFive = z.number().nullable().describe('Shown only where it rests on 5 people or more');

const Retained = z.object({ eligible: z.number().int(), retained: z.number().int(), rate: Rate });

const Ci95 = z.tuple([z.number(), z.number()]).nullable().describe("95% confidence interval of the mean change (Student's t, paired); null under 5 people");
const Mean = z.number().nullable().describe('A mean over 5 people or more; null under 5');
/** One dose band: people by sessions attended, with their paired measures. `Count` is exact in a practice's own JSON and "<5" where figures leave it. */
const doseBand = <C extends z.ZodType>(Count: C) =>
  z.object({
    band: z.enum(['0', '1', '2', '3-5', '6+']).describe('Sessions attended (present or late) in the period\'s groups; "0": given a place, never came'),
    people: Count,
    swemwbs: z.object({ n: Count, baseline: Mean, change: Mean, ci95: Ci95 }),
    ons4: z.object({ n: Count, change: z.object({ lifeSatisfaction: Mean, worthwhile: Mean, happiness: Mean, anxiety: Mean }) }),
    happiness: z
      .object({ n: Count, baseline: Mean, change: Mean, ci95: Ci95 })
      .describe("ONS4's happiness question alone (0-10), asked by text when placed and 8 weeks on: people who stopped coming answer too"),
    gpAppointments: z.object({ n: Count, before: Mean, after: Mean, change: Mean, ci95: Ci95 }),
  });
export const DoseBandDto = doseBand(z.number().int());
export const SuppressedDoseBandDto = doseBand(Suppressed);

export const ImpactReportDto = z.object({
  period: Period,
  groupId: z.number().int().nullable(),
  funnel: z.object({
    referred: z.number().int(),
    enrolled: z.number().int(),
    attendedOnce: z.number().int(),
    attendedThreePlus: z.number().int(),
    method: Method,
  }),
  referrals: z.object({
    received: z.number().int(),
    accepted: z.number().int(),
    attended: z.number().int(),
    declined: z.number().int(),
    declinedReasons: z
      .array(z.object({ reason: z.string(), referrals: z.number().int() }))
      .describe("Why referrals were declined: in the practice's own JSON only"),
    method: Method,
  }),
  attendance: z.object({
    sessionsHeld: z.number().int(),
    attended: z.number().int(),
    absent: z.number().int(),
    apologies: z.number().int(),
    unnamedHeadcount: z.number().int(),
    rate: Rate.describe('Present or late over present, late or absent; apologies kept out'),
    method: Method,
  }),
  retention: z.object({ weeks4: Retained, weeks12: Retained, method: Method }),
  wellbeing: z.object({
    swemwbs: z.object({
      n: z.number().int(),
      meanBaseline: z.number().nullable(),
      meanFollowUp: z.number().nullable(),
      meanChange: z.number().nullable(),
      improvedMeaningfully: Rate,
      method: Method,
    }),
    ons4: z.object({
      n: z.number().int(),
      meanChange: z.object({
        lifeSatisfaction: z.number().nullable(),
        worthwhile: z.number().nullable(),
        happiness: z.number().nullable(),
        anxiety: z.number().nullable(),
      }),
      method: Method,
    }),
  }),
  gpAppointments: z.object({
    n: z.number().int(),
    totalBefore: z.number(),
    totalAfterAnnualised: z.number(),
    medianChange: z.number().nullable(),
    method: Method,
  }),
  belowThreshold: z.object({
    threshold: z.number(),
    groups: z.array(z.object({ groupId: z.number().int(), name: z.string(), rate: z.number() })),
    method: Method,
  }),
  byDose: z.array(DoseBandDto).describe('Every outcome by dose band: the gradient, with the never-came band as the comparison'),
  practice: z.object({ name: z.string(), code: z.string().nullable() }),
  groups: z.array(z.object({ id: z.number().int(), name: z.string() })).describe("The report's groups"),
  producedAt: ZonedTime,
  method: z.array(z.string()).describe('What is counted, and what the figures cannot show'),
});

const Cohort = z.object({ started: z.number().int(), stillAttending: z.number().int(), rate: Rate });
export const AttendanceReportDto = z.object({
  period: Period,
  groups: z.array(
    z.object({
      groupId: z.number().int(),
      name: z.string(),
      kind: z.string(),
      sessionsDelivered: z.number().int(),
      sessionsCancelled: z.number().int(),
      uniqueParticipants: z.number().int(),
      attendances: z.number().int(),
      unnamedHeadcount: z.number().int(),
      averageAttendance: z.number().nullable(),
      attendanceRate: Rate,
      newEnrolments: z.number().int(),
      retention4Weeks: Cohort,
      retention12Weeks: Cohort,
    }),
  ),
  participants: z.array(
    z.object({
      participantId: z.number().int(),
      name: z.string(),
      groupId: z.number().int(),
      sessionsAttended: z.number().int(),
      firstAttendance: ZonedTime.nullable(),
      lastAttendance: ZonedTime.nullable(),
    }),
  ),
});

export const MonitoringRowDto = z.object({
  practiceCode: z.string(),
  practiceName: z.string(),
  participantRef: z.string().describe('A pseudonym: P and the id'),
  programmeId: z.string().describe("The programme's own pseudonymous ID (e.g. P1000), empty when not given"),
  gender: z.string(),
  referralRoute: z.string(),
  referralReason: z.string(),
  programme: z.string(),
  group: z.string(),
  enrolmentStatus: z.string(),
  referredAt: ZonedTime,
  startedAt: z.string().describe('Empty when not started'),
  sessionsAttended: z.number().int(),
});

/** Only where the deployment reads other boards' databases (BOARD_DATABASES). */
const BoardName = z.string().optional().describe("The health board whose database the practice is in, where the report reads several boards' databases");

export const ProgrammeAttendanceDto = z.object({
  period: Period,
  practices: z.array(
    z.object({
      board: BoardName,
      practiceCode: z.string(),
      practiceName: z.string(),
      activeGroups: z.number().int(),
      sessionsDelivered: z.number().int(),
      sessionsCancelled: z.number().int(),
      participants: Suppressed,
      attendances: Suppressed,
      newEnrolments: Suppressed,
      attendanceRate: OverFive,
    }),
  ),
});

export const ProgrammeImpactDto = z.object({
  period: Period,
  practices: z.array(
    z.object({
      board: BoardName,
      practiceCode: z.string(),
      referred: Suppressed,
      enrolled: Suppressed,
      attendedOnce: Suppressed,
      attendedThreePlus: Suppressed,
      referralsReceived: Suppressed,
      referralsAccepted: Suppressed,
      referralsAttended: Suppressed,
      referralsDeclined: Suppressed,
      sessionsHeld: z.number().int(),
      attendanceRate: OverFive,
      apologies: Suppressed,
      retention4WeeksRate: OverFive,
      retention12WeeksRate: OverFive,
      swemwbsPeople: Suppressed,
      swemwbsMeanChange: OverFive,
      swemwbsImprovedShare: OverFive,
      gpPeople: Suppressed,
      gpMedianChange: OverFive,
      groupsBelowThreshold: z.number().int(),
      byDose: z.array(SuppressedDoseBandDto),
    }),
  ),
  programme: z.object({ byDose: z.array(SuppressedDoseBandDto).describe("Pooled from every practice's people, not averaged from practice averages") }),
  producedAt: ZonedTime,
  method: z.array(z.string()),
});

export const ProgrammeMonitoringRowDto = z.object({
  board: BoardName,
  practiceCode: z.string(),
  programme: z.string(),
  referralRoute: z.string(),
  enrolments: Suppressed,
  sessionsAttended: Suppressed,
});
