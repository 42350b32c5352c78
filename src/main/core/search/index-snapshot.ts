/** Search reads the index through its snapshot, whose home is the index format's folder. */
export { forgetSnapshot, indexSnapshot, type IndexSnapshot, type Segment, type UnitTable } from '../index/snapshot';
