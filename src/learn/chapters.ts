/** The chapters in reading order: the id each one's anchor, prediction and mission are kept under. */
export const CHAPTERS = [
  { id: 'score', title: 'What a score is' },
  { id: 'sm', title: 'Score matching without the score' },
  { id: 'dsm', title: 'Denoising score matching' },
  { id: 'sigma', title: 'The σ trade-off' },
  { id: 'langevin', title: 'Langevin dynamics' },
  { id: 'ncsn', title: 'Many noise levels' },
  { id: 'samplers', title: 'Samplers from one network' },
  { id: 'mulde', title: 'MULDE: densities and anomalies' },
] as const;

export type ChapterId = (typeof CHAPTERS)[number]['id'];
