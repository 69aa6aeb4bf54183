/** The RunComfy model this node runs. */
export const MODEL_ID = 'community/wan-2-1/fusionx/image-to-video';
